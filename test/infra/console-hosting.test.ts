import { Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { addMarketStacks } from "../../lib/market-app";
import { testApp } from "../support/cdk-app";

/** The web console's hosting: a private bucket read only by its CloudFront distribution (OAC). */
const app = testApp();
const stacks = addMarketStacks(app, { account: "123456789012", region: "eu-west-2" });
const stack = Stack.of(stacks.console);
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
const idOf = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);
const siteId = idOf(stacks.console.bucket);
const distributionId = idOf(stacks.console.distribution);

describe("the console's hosting (S3 + CloudFront)", () => {
  it("keeps the site bucket private: every public access blocked, TLS only, no ACLs, no website", () => {
    const site = resources[siteId]!.Properties;
    expect(site.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(site.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] });
    expect(site.WebsiteConfiguration).toBeUndefined();
    expect(site.AccessControl).toBeUndefined();
    expect(site.BucketEncryption).toBeDefined();
  });

  it("lets only this distribution read the bucket, through origin access control (no OAI)", () => {
    const oac = template.findResources("AWS::CloudFront::OriginAccessControl");
    expect(Object.values(oac)).toHaveLength(1);
    const [oacId] = Object.keys(oac);
    template.hasResourceProperties("AWS::CloudFront::OriginAccessControl", {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: "s3",
        SigningBehavior: "always",
        SigningProtocol: "sigv4",
      },
    });
    expect(template.findResources("AWS::CloudFront::CloudFrontOriginAccessIdentity")).toEqual({});
    const origins = resources[distributionId]!.Properties.DistributionConfig.Origins;
    expect(origins).toEqual([
      expect.objectContaining({
        DomainName: { "Fn::GetAtt": [siteId, "RegionalDomainName"] },
        OriginAccessControlId: { "Fn::GetAtt": [oacId, "Id"] },
        S3OriginConfig: { OriginAccessIdentity: "" },
      }),
    ]);
    const policy = Object.values(template.findResources("AWS::S3::BucketPolicy")).find(
      (p) => p.Properties.Bucket.Ref === siteId,
    )!;
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    const allows = statements.filter((s) => s.Effect === "Allow");
    expect(allows).toEqual([
      {
        Action: "s3:GetObject",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Resource: { "Fn::Join": ["", [{ "Fn::GetAtt": [siteId, "Arn"] }, "/*"]] },
        Condition: {
          StringEquals: {
            "AWS:SourceArn": {
              "Fn::Join": [
                "",
                [
                  "arn:",
                  { Ref: "AWS::Partition" },
                  ":cloudfront::",
                  { Ref: "AWS::AccountId" },
                  ":distribution/",
                  { Ref: distributionId },
                ],
              ],
            },
          },
        },
      },
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
  });

  it("redirects viewers to HTTPS, serves GET and HEAD only, with the security headers policy", () => {
    const config = resources[distributionId]!.Properties.DistributionConfig;
    const headersId = idOf(stacks.console.headers);
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: "redirect-to-https",
      AllowedMethods: ["GET", "HEAD"],
      ResponseHeadersPolicyId: { Ref: headersId },
      Compress: true,
    });
    expect(config.DefaultRootObject).toBe("index.html");
    expect(config.Logging).toMatchObject({ Prefix: "cloudfront/" });
  });

  it("sends CSP, HSTS, nosniff, frame denial and no referrer; the CSP lets the console call only its API", () => {
    const headers = resources[idOf(stacks.console.headers)]!.Properties.ResponseHeadersPolicyConfig;
    const security = headers.SecurityHeadersConfig;
    expect(security.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: 63_072_000,
      IncludeSubdomains: true,
      Override: true,
    });
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: "DENY", Override: true });
    expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: "no-referrer", Override: true });
    const csp = JSON.stringify(stack.resolve(security.ContentSecurityPolicy.ContentSecurityPolicy));
    for (const directive of [
      "default-src 'none'",
      "script-src 'self';",
      "style-src 'self';",
      "frame-ancestors 'none'",
      "connect-src 'self' https://",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    // connect-src names the API's host, taken from MarketStack's stage URL.
    expect(csp).toContain("execute-api");
    expect(security.ContentSecurityPolicy.Override).toBe(true);
  });

  it("deploys the build with config.json naming the API, the entry page revalidated, assets immutable", () => {
    const deployments = Object.values(template.findResources("Custom::CDKBucketDeployment"));
    expect(deployments).toHaveLength(2);
    for (const deployment of deployments) {
      expect(deployment.Properties.DestinationBucketName).toEqual({ Ref: siteId });
      expect(deployment.Properties.DistributionId).toBeUndefined();
    }
    const entry = deployments.find((d) => d.Properties.Prune === true)!;
    expect(entry.Properties.SystemMetadata).toEqual({ "cache-control": "no-cache" });
    expect(entry.Properties.Exclude).toEqual(["assets/*"]);
    // config.json carries MarketStack's stage URL (imported across stacks).
    expect(JSON.stringify(entry.Properties.SourceMarkers)).toMatch(
      /"Fn::ImportValue":"BitraderMarket:ExportsOutput\w*MarketApi/,
    );
    const assets = deployments.find((d) => d.Properties.Prune === false)!;
    expect(assets.Properties.DestinationBucketKeyPrefix).toBe("assets/");
    expect(assets.Properties.SystemMetadata).toEqual({
      "cache-control": "public, max-age=31536000, immutable",
    });
  });

  it("names the console's origin, the one the API's CORS must allow", () => {
    expect(stack.resolve(stacks.console.origin)).toEqual({
      "Fn::Join": ["", ["https://", { "Fn::GetAtt": [distributionId, "DomainName"] }]],
    });
    template.hasOutput("*", {
      Description: Match.stringLikeRegexp("CORS"),
    });
  });
});
