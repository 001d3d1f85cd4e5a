import { existsSync } from "node:fs";
import { join } from "node:path";
import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import type { ICertificate } from "aws-cdk-lib/aws-certificatemanager";
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { BucketDeployment, CacheControl, Source } from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import { buildConsole, CONSOLE_DIST } from "../../web/build";
import { CONSOLE_HSTS_SECONDS, consoleContentSecurityPolicy } from "../console-security-headers";

export interface ConsoleHostingProps {
  /**
   * The REST API's stage URL (`https://{id}.execute-api.{region}.amazonaws.com/v1/`). The
   * console reads it from `config.json` at run time, and the Content-Security-Policy allows
   * `connect-src` to its origin only. The API must answer CORS for {@link ConsoleHosting.origin}.
   */
  readonly apiUrl: string;
  /**
   * The console's production build.
   * @default `web/dist`, built first when missing or stale (`web/build.ts`)
   */
  readonly siteDir?: string;
  /**
   * A custom domain and its ACM certificate (in us-east-1, as CloudFront requires). With them
   * viewers must use TLS 1.2 or newer (TLSv1.2_2021).
   * @default the distribution's own `*.cloudfront.net` name and certificate
   */
  readonly domain?: { readonly names: string[]; readonly certificate: ICertificate };
  /**
   * A WAFv2 web ACL (scope CLOUDFRONT, in us-east-1) to attach, by ARN.
   * @default none
   */
  readonly webAclArn?: string;
}

/**
 * The web console from a private S3 bucket behind CloudFront: the bucket blocks all public
 * access, accepts only TLS, and is read by this distribution alone through origin access
 * control (OAC, SigV4); viewers are redirected to HTTPS and every response carries the
 * console's security headers (CSP, HSTS, nosniff, frame denial, no referrer). Hashed assets
 * are cached for a year; `index.html` and `config.json` are revalidated on every load, so a
 * deployment needs no invalidation. Access logs of both go to a private log bucket.
 */
export class ConsoleHosting extends Construct {
  readonly bucket: Bucket;
  readonly logs: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  /** `https://<distribution domain>`: the origin the API's CORS must allow. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const siteDir = props.siteDir ?? CONSOLE_DIST;
    if (props.siteDir === undefined) buildConsole({ ifStale: true });
    if (!existsSync(join(siteDir, "index.html"))) {
      throw new Error(`ConsoleHosting: no console build in ${siteDir} (run npm run build:console)`);
    }

    this.logs = new Bucket(this, "Logs", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logs).acknowledge({
      id: "AwsSolutions::AwsSolutions-S1",
      reason:
        "This is the access-log bucket of the console's bucket and distribution; logging it into itself would loop.",
    });

    this.bucket = new Bucket(this, "Site", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: "s3/",
      // Build output only: a new deployment recreates everything.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    const apiOrigin = Fn.join("", ["https://", Fn.select(2, Fn.split("/", props.apiUrl))]);
    this.headers = new ResponseHeadersPolicy(this, "SecurityHeaders", {
      comment: "BiTraDER console: CSP, HSTS, nosniff, no framing, no referrer",
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleContentSecurityPolicy({ apiOrigin }),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(CONSOLE_HSTS_SECONDS),
          includeSubdomains: true,
          override: true,
        },
        xssProtection: { protection: false, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: "Permissions-Policy",
            value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
            override: true,
          },
          { header: "Cross-Origin-Opener-Policy", value: "same-origin", override: true },
        ],
      },
    });

    this.distribution = new Distribution(this, "Distribution", {
      comment: "BiTraDER web console",
      defaultRootObject: "index.html",
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: "cloudfront/",
      ...(props.domain
        ? {
            domainNames: props.domain.names,
            certificate: props.domain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    Validations.of(this.distribution).acknowledge(
      ...[
        {
          id: "AwsSolutions::AwsSolutions-CFR1",
          reason:
            "No geo restriction: participants and the operator sign in from wherever they work; every API call needs an API key, and the console is static files.",
        },
        ...(props.webAclArn
          ? []
          : [
              {
                id: "AwsSolutions::AwsSolutions-CFR2",
                reason:
                  "The console is static files with no server-side logic; the API it calls is keyed and throttled per role. Attach a CLOUDFRONT-scope web ACL (us-east-1) with the webAclArn prop where a deployment wants one.",
              },
            ]),
        ...(props.domain
          ? []
          : [
              {
                id: "AwsSolutions::AwsSolutions-CFR4",
                reason:
                  "Without a custom domain the distribution uses CloudFront's default *.cloudfront.net certificate, whose TLS policy CloudFront sets; pass the domain prop (with an ACM certificate) to require TLS 1.2 (TLSv1.2_2021).",
              },
            ]),
      ],
    );

    // Hashed assets: immutable, kept across deployments (an open tab may still ask for them).
    new BucketDeployment(this, "DeployAssets", {
      sources: [Source.asset(join(siteDir, "assets"))],
      destinationBucket: this.bucket,
      destinationKeyPrefix: "assets/",
      prune: false,
      cacheControl: [CacheControl.fromString("public, max-age=31536000, immutable")],
      memoryLimit: 512,
    });
    // The entry page and the run-time config: revalidated on every load.
    new BucketDeployment(this, "DeployEntry", {
      sources: [
        Source.asset(siteDir, { exclude: ["assets", "assets/**", ".source-hash"] }),
        Source.jsonData("config.json", { apiUrl: props.apiUrl }),
      ],
      destinationBucket: this.bucket,
      exclude: ["assets/*"],
      prune: true,
      cacheControl: [CacheControl.fromString("no-cache")],
      memoryLimit: 512,
    });
    // CDK's BucketDeployment runs one singleton function (and role) per stack: acknowledged on
    // that construct only, so nothing else in the stack inherits these acknowledgements.
    const copier = Stack.of(this).node.children.find((child) =>
      child.node.id.startsWith("Custom::CDKBucketDeployment"),
    );
    if (!copier) throw new Error("ConsoleHosting: BucketDeployment's function not found");
    const bucketArn = Stack.of(this).resolve(this.bucket.bucketArn) as { "Fn::GetAtt": [string] };
    Validations.of(copier).acknowledge(
      {
        id: "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        reason:
          "CDK's BucketDeployment function (a custom resource that copies the console build into the bucket at deploy time) is created by CDK with the basic execution policy for its own logs.",
      },
      {
        id: "AwsSolutions::AwsSolutions-L1",
        reason:
          "CDK's BucketDeployment function runs on the runtime this CDK release chooses for it; it runs only during deployments and serves no requests.",
      },
      ...["s3:GetObject*", "s3:GetBucket*", "s3:List*", "s3:DeleteObject*", "s3:Abort*"].map(
        (action) => ({
          id: `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`,
          reason:
            "CDK's BucketDeployment grants its copier read on the CDK asset bucket and read/write on the console bucket with these action groups (grantRead/grantReadWrite); every grant names one of those two buckets.",
        }),
      ),
      {
        id: "AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]",
        reason:
          "The copier reads the console build from CDK's bootstrap asset bucket; the objects' keys are content hashes known only at deploy time.",
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${Stack.of(this).region}/*]`,
        reason:
          "The copier reads the console build from CDK's bootstrap asset bucket; the objects' keys are content hashes known only at deploy time.",
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketArn["Fn::GetAtt"][0]}.Arn>/*]`,
        reason:
          "The copier writes and prunes the console's files, whose names change with every build, in the console bucket only.",
      },
    );

    new CfnOutput(this, "ConsoleUrl", { value: `${this.origin}/` });
    new CfnOutput(this, "ConsoleOrigin", {
      value: this.origin,
      description: "The origin the API's CORS must allow (Access-Control-Allow-Origin).",
    });
  }
}
