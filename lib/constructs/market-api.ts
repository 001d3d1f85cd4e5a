import { Duration, NestedStack, RemovalPolicy, Validations } from "aws-cdk-lib";
import {
  AccessLogFormat,
  ApiKey,
  ApiKeySourceType,
  AuthorizationType,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  Method,
  MethodLoggingLevel,
  MockIntegration,
  PassthroughBehavior,
  RequestAuthorizer,
  ResponseType,
  RestApi,
} from "aws-cdk-lib/aws-apigateway";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { ROLES, type Role } from "../../functions/core/access/roles";
import {
  CORS_ALLOWED_HEADERS,
  CORS_EXPOSED_HEADERS,
  CORS_MAX_AGE_SECONDS,
  CORS_ORIGIN_VARIABLE,
  isOrigin,
} from "../../functions/http/cors";
import { GATEWAY_PROBLEMS } from "../../functions/http/gateway-responses";
import { PROBLEM_CONTENT_TYPE, problem } from "../../functions/http/problem";
import { AUTHORIZER, isProtected, ROUTES, type Route } from "../../functions/http/routes";
import { type GrantResources, MarketFunction } from "./market-function";

/** Requests per second and burst, as API Gateway throttles them. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface MarketApiProps {
  /**
   * Every route of the API; one method and one function each. Ids, and method + path pairs,
   * must be unique.
   * @default ROUTES
   */
  readonly routes?: readonly Route[];
  /** The single table: the authorizer reads keys from it; routes get what they declare. */
  readonly table: ITable;
  /** What the routes' grants name besides the table (workflows, buckets, …). @default none */
  readonly resources?: GrantResources;
  /**
   * The stage, also the first path segment of the URL.
   * @default "v1"
   */
  readonly stageName?: string;
  /**
   * Per-role throttling, applied through one usage plan per role (API key source AUTHORIZER:
   * the authorizer names the plan's key; clients never see it).
   * @default operator 50 rps / burst 100, anm 20 / 40, participant 10 / 20
   */
  readonly roleThrottle?: Partial<Record<Role, Throttle>>;
  /**
   * The stage-wide default, which is what limits public routes.
   * @default 100 rps / burst 200
   */
  readonly stageThrottle?: Throttle;
  /** @default RetentionDays.THREE_MONTHS */
  readonly accessLogRetention?: RetentionDays;
  /**
   * The web console's origin (`https://<distribution domain>`), the one origin the API answers
   * CORS for (D-119): an OPTIONS preflight on every resource (in a nested stack of their own, to
   * keep the stack within CloudFormation's 500 resources), `CORS_ORIGIN` on every route
   * function (its answers name the origin when the request comes from it), and the origin on
   * API Gateway's own answers. Any other origin gets no `Access-Control-Allow-Origin`.
   * @default none: no cross-origin caller is answered
   */
  readonly corsOrigin?: string;
}

const DEFAULT_ROLE_THROTTLE: Record<Role, Throttle> = {
  operator: { rateLimit: 50, burstLimit: 100 },
  anm: { rateLimit: 20, burstLimit: 40 },
  participant: { rateLimit: 10, burstLimit: 20 },
};

/** One JSON line per request: who (principal, never the key), what, outcome, timings. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  ip: "$context.identity.sourceIp",
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  status: "$context.status",
  responseLength: "$context.responseLength",
  principalId: "$context.authorizer.principalId",
  role: "$context.authorizer.role",
  errorType: "$context.error.responseType",
  integrationLatency: "$context.integrationLatency",
  responseLatency: "$context.responseLatency",
});

/** API Gateway's integration timeout; route functions must finish before it. */
const API_INTEGRATION_TIMEOUT = Duration.seconds(29);

/**
 * The REST API, built from ROUTES: one Lambda proxy method per route, protected routes behind
 * the REQUEST authorizer (`x-api-key` → role; decided per route, so its cache is off), usage
 * plans per role for throttling, gateway errors as problem+json (GATEWAY_PROBLEMS), X-Ray
 * tracing, JSON access logs and execution logging.
 */
export class MarketApi extends Construct {
  readonly api: RestApi;
  /** Present when some route needs a key. */
  readonly authorizerFunction: MarketFunction | undefined;
  /** Route id → its function. */
  readonly functions: Readonly<Record<string, MarketFunction>>;
  /** Route id → its method. */
  readonly methods: Readonly<Record<string, Method>>;
  /** Resource path → its OPTIONS preflight method, when {@link MarketApiProps.corsOrigin} is set. */
  readonly preflights: Readonly<Record<string, Method>>;
  /** The nested stack holding the preflight methods, when there are any. */
  readonly preflightStack: NestedStack | undefined;

  constructor(scope: Construct, id: string, props: MarketApiProps) {
    super(scope, id);
    const routes = props.routes ?? ROUTES;
    const stageName = props.stageName ?? "v1";
    const stageThrottle = props.stageThrottle ?? { rateLimit: 100, burstLimit: 200 };
    const roleThrottle = { ...DEFAULT_ROLE_THROTTLE, ...props.roleThrottle };
    validateRoutes(routes);
    if (props.corsOrigin !== undefined && !isOrigin(props.corsOrigin)) {
      throw new Error(
        `MarketApi: corsOrigin must be an origin (https://host[:port]), got ${props.corsOrigin}`,
      );
    }
    if (!/^[A-Za-z0-9_]{1,128}$/.test(stageName)) {
      throw new Error(`MarketApi: invalid stage name ${stageName}`);
    }
    for (const [name, throttle] of Object.entries({ stage: stageThrottle, ...roleThrottle })) {
      validateThrottle(name, throttle);
    }
    this.api = this.restApi(stageName, stageThrottle, props.accessLogRetention);
    this.addGatewayResponses(props.corsOrigin);
    const usageKeys = this.addUsagePlans(roleThrottle);
    const authorization = routes.some(isProtected)
      ? this.addAuthorizer(props.table, usageKeys)
      : undefined;
    this.authorizerFunction = authorization?.fn;
    const authorizer = authorization?.authorizer;
    const resources: GrantResources = { ...props.resources, table: props.table };
    const functions: Record<string, MarketFunction> = {};
    const methods: Record<string, Method> = {};
    for (const route of routes) {
      const { fn, method } = this.addRoute(route, resources, authorizer, props.corsOrigin);
      functions[route.id] = fn;
      methods[route.id] = method;
    }
    this.functions = functions;
    this.methods = methods;
    const preflights: Record<string, Method> = {};
    if (props.corsOrigin !== undefined) {
      this.preflightStack = new NestedStack(this, "CorsPreflight", {
        description: "BiTraDER: the API's CORS preflight (OPTIONS) methods, for the web console",
      });
      for (const path of [...new Set(routes.map((route) => route.path))]) {
        const methodsOfPath = routes.filter((r) => r.path === path).map((r) => r.method);
        preflights[path] = this.addPreflight(
          this.preflightStack,
          path,
          methodsOfPath,
          props.corsOrigin,
        );
      }
    } else {
      this.preflightStack = undefined;
    }
    this.preflights = preflights;
  }

  /**
   * D-119: the OPTIONS preflight of one resource, a MOCK integration answering 204 with the
   * methods, headers and max age; `Access-Control-Allow-Origin` is set (by a response override)
   * only when the request's `Origin` is the console's.
   */
  private addPreflight(
    scope: Construct,
    path: string,
    methods: readonly string[],
    origin: string,
  ): Method {
    const headers = {
      "Access-Control-Allow-Methods": `'${[...methods, "OPTIONS"].join(", ")}'`,
      "Access-Control-Allow-Headers": `'${CORS_ALLOWED_HEADERS.join(", ")}'`,
      "Access-Control-Max-Age": `'${CORS_MAX_AGE_SECONDS}'`,
      Vary: "'Origin'",
    };
    const template = [
      `#set($origin = $input.params().header.get("Origin"))`,
      `#if("$!origin" == "")#set($origin = $input.params().header.get("origin"))#end`,
      `#if("$!origin" == "${origin}")`,
      `#set($context.responseOverride.header.Access-Control-Allow-Origin = "${origin}")`,
      "#end",
    ].join("\n");
    const id = `Preflight${path.replace(/[^A-Za-z0-9]/g, "_")}`;
    const method = new Method(scope, id, {
      resource: this.api.root.resourceForPath(path),
      httpMethod: "OPTIONS",
      integration: new MockIntegration({
        passthroughBehavior: PassthroughBehavior.WHEN_NO_TEMPLATES,
        requestTemplates: { "application/json": '{ "statusCode": 204 }' },
        integrationResponses: [
          {
            statusCode: "204",
            responseParameters: Object.fromEntries(
              Object.entries(headers).map(([name, value]) => [
                `method.response.header.${name}`,
                value,
              ]),
            ),
            responseTemplates: { "application/json": template },
          },
        ],
      }),
      options: {
        operationName: `Preflight ${path}`,
        authorizationType: AuthorizationType.NONE,
        methodResponses: [
          {
            statusCode: "204",
            responseParameters: Object.fromEntries(
              [...Object.keys(headers), "Access-Control-Allow-Origin"].map((name) => [
                `method.response.header.${name}`,
                false,
              ]),
            ),
          },
        ],
      },
    });
    Validations.of(method).acknowledge({
      id: "AwsSolutions::AwsSolutions-APIG4",
      reason: `OPTIONS ${path} is the browser's CORS preflight (D-119): browsers send it without credentials, and it answers only headers (a MOCK integration, no function, no data).`,
    });
    Validations.of(method).acknowledge({
      id: "AwsSolutions::AwsSolutions-COG4",
      reason: `OPTIONS ${path} is the browser's CORS preflight (D-119), which carries no credentials.`,
    });
    return method;
  }

  /** The REST API and its stage: tracing, metrics, error logging, JSON access logs, throttling. */
  private restApi(
    stageName: string,
    stageThrottle: Throttle,
    accessLogRetention: RetentionDays | undefined,
  ): RestApi {
    const accessLogs = new LogGroup(this, "AccessLogs", {
      retention: accessLogRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const api = new RestApi(this, "Api", {
      restApiName: "bitrader",
      description: "BiTraDER: bilateral trading of curtailment obligations",
      endpointTypes: [EndpointType.REGIONAL],
      apiKeySourceType: ApiKeySourceType.AUTHORIZER,
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY,
      deployOptions: {
        stageName,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
        throttlingRateLimit: stageThrottle.rateLimit,
        throttlingBurstLimit: stageThrottle.burstLimit,
      },
    });
    Validations.of(api).acknowledge(
      {
        id: "AwsSolutions::AwsSolutions-COG4",
        reason:
          "Callers are machines (ANM systems, participants' software, the operator) holding API keys issued per participant and per role (api.md, R-AUTH); a Lambda REQUEST authorizer checks the hashed key in DynamoDB and the role per route. Cognito user pools fit interactive users, not these keys.",
      },
      {
        id: "AwsSolutions::AwsSolutions-APIG2",
        reason:
          "Requests are validated by the handlers' zod schemas so that every 4xx is the contract's problem+json with one errors[] item per field (api.md, Conventions); API Gateway's validator would answer in its own shape first.",
      },
      {
        id: "AwsSolutions::AwsSolutions-APIG3",
        reason:
          "No WAF web ACL in v1: callers are few and keyed, throttled per role by usage plans and per stage; attach a web ACL to the stage per deployment if the API is exposed more widely.",
      },
      {
        id: "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
        reason:
          "The account-level role API Gateway uses to write execution logs; this managed policy is the documented one for it.",
      },
    );
    return api;
  }

  /**
   * What API Gateway answers itself (GATEWAY_PROBLEMS), as problem+json; with the console's
   * origin (D-119), so that the console can read a 401 or a 429. A gateway answer cannot compare
   * the request's origin: it names the console's to every caller, which lets no other origin read it.
   */
  private addGatewayResponses(corsOrigin: string | undefined): void {
    for (const [key, spec] of Object.entries(GATEWAY_PROBLEMS)) {
      const { status, code, title, detail } = spec;
      this.api.addGatewayResponse(`Gateway${pascal(key)}`, {
        type: ResponseType.of(spec.responseType),
        statusCode: String(status),
        responseHeaders: {
          "Content-Type": `'${PROBLEM_CONTENT_TYPE}'`,
          ...(corsOrigin === undefined
            ? {}
            : {
                "Access-Control-Allow-Origin": `'${corsOrigin}'`,
                "Access-Control-Expose-Headers": `'${CORS_EXPOSED_HEADERS.join(", ")}'`,
                Vary: "'Origin'",
              }),
        },
        templates: { "application/json": JSON.stringify(problem({ status, code, title, detail })) },
      });
    }
  }

  /**
   * One usage plan and one usage key per role. The key value is a bucket name, not a secret: with
   * API key source AUTHORIZER, API Gateway takes it only from the authorizer. Returns role → key.
   */
  private addUsagePlans(roleThrottle: Record<Role, Throttle>): Record<string, string> {
    const usageKeys: Record<string, string> = {};
    for (const role of ROLES) {
      const value = `bitrader-usage-${role}-${this.node.addr}`;
      const key = new ApiKey(this, `${pascal(role)}UsageKey`, {
        value,
        description: `Usage-plan key for the ${role} role (throttling only, not a credential)`,
      });
      const plan = this.api.addUsagePlan(`${pascal(role)}UsagePlan`, {
        name: `bitrader-${role}`,
        throttle: roleThrottle[role],
        apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
      });
      plan.addApiKey(key);
      usageKeys[role] = value;
    }
    return usageKeys;
  }

  /**
   * The REQUEST authorizer on `x-api-key`, uncached (its decision is per route). It exists only
   * when some route needs a key: API Gateway refuses an authorizer that no method uses.
   */
  private addAuthorizer(
    table: ITable,
    usageKeys: Record<string, string>,
  ): { fn: MarketFunction; authorizer: RequestAuthorizer } {
    const authorizerFunction = new MarketFunction(this, AUTHORIZER.id, {
      entry: AUTHORIZER.entry,
      grants: AUTHORIZER.grants,
      description: "BiTraDER API authorizer: x-api-key → role",
      timeout: Duration.seconds(5),
      maxTimeout: API_INTEGRATION_TIMEOUT,
    }).grant(AUTHORIZER.grants, { table });
    authorizerFunction.function.addEnvironment("USAGE_KEYS", JSON.stringify(usageKeys));
    const authorizer = new RequestAuthorizer(this, "Authorizer", {
      authorizerName: "bitrader-api-key",
      handler: authorizerFunction.function,
      identitySources: [IdentitySource.header(AUTHORIZER.header)],
      resultsCacheTtl: Duration.seconds(0),
    });
    return { fn: authorizerFunction, authorizer };
  }

  /** One route: its function (with its grants), its Lambda proxy method and its authorization. */
  private addRoute(
    route: Route,
    resources: GrantResources,
    authorizer: RequestAuthorizer | undefined,
    corsOrigin: string | undefined,
  ): { fn: MarketFunction; method: Method } {
    const fn = new MarketFunction(this, route.id, {
      entry: route.entry,
      grants: route.grants,
      description: `BiTraDER ${route.method} ${route.path}`,
      maxTimeout: API_INTEGRATION_TIMEOUT,
      ...(corsOrigin === undefined ? {} : { environment: { [CORS_ORIGIN_VARIABLE]: corsOrigin } }),
    }).grant(route.grants, resources);
    const integration = new LambdaIntegration(fn.function, {
      proxy: true,
      allowTestInvoke: false,
    });
    const method = this.api.root.resourceForPath(route.path).addMethod(
      route.method,
      integration,
      isProtected(route) && authorizer !== undefined
        ? {
            operationName: route.id,
            authorizer,
            authorizationType: AuthorizationType.CUSTOM,
            apiKeyRequired: true,
          }
        : { operationName: route.id, authorizationType: AuthorizationType.NONE },
    );
    if (!isProtected(route)) {
      Validations.of(method).acknowledge({
        id: "AwsSolutions::AwsSolutions-APIG4",
        reason: `${route.method} ${route.path} is public by contract (api.md: no key); it is throttled by the stage limits.`,
      });
    }
    return { fn, method };
  }
}

function pascal(word: string): string {
  return `${word[0]!.toUpperCase()}${word.slice(1)}`;
}

function validateRoutes(routes: readonly Route[]): void {
  const ids = new Set<string>();
  const endpoints = new Set<string>();
  for (const route of routes) {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(route.id)) {
      throw new Error(`MarketApi: route id must be PascalCase, got ${route.id}`);
    }
    if (!/^(\/([A-Za-z0-9._:-]+|\{[A-Za-z0-9_]+\}))+$/.test(route.path)) {
      throw new Error(`MarketApi: invalid path ${route.path} for ${route.id}`);
    }
    const endpoint = `${route.method} ${route.path}`;
    if (ids.has(route.id)) throw new Error(`MarketApi: duplicate route id ${route.id}`);
    if (endpoints.has(endpoint)) throw new Error(`MarketApi: duplicate route ${endpoint}`);
    if (route.roles !== "none" && route.roles.length === 0) {
      throw new Error(`MarketApi: ${route.id} lists no roles; use "none" for a public route`);
    }
    ids.add(route.id);
    endpoints.add(endpoint);
  }
}

function validateThrottle(name: string, throttle: Throttle): void {
  if (
    !(throttle.rateLimit > 0) ||
    !Number.isInteger(throttle.burstLimit) ||
    throttle.burstLimit < 1
  ) {
    throw new Error(
      `MarketApi: ${name} throttle needs rateLimit > 0 and an integer burstLimit ≥ 1`,
    );
  }
}
