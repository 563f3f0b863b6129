// Every AWS API operation the collector calls, with the IAM action it needs: the one table that a
// least-privilege policy is generated from.
export const operations = {
  'sts:GetCallerIdentity': { iamAction: undefined, purpose: 'the collector identity, recorded in the chain of custody' },
  'account:ListRegions': { iamAction: 'account:ListRegions', purpose: 'the regions enabled in the account', only: 'all-regions' },
  'config:DescribeConfigurationRecorders': { iamAction: 'config:DescribeConfigurationRecorders', purpose: 'which resource types each region records' },
  'config:DescribeConfigurationRecorderStatus': { iamAction: 'config:DescribeConfigurationRecorderStatus', purpose: 'whether each recorder is running' },
  'config:DescribeConfigRules': { iamAction: 'config:DescribeConfigRules', purpose: 'the rules deployed and their managed-rule identifiers' },
  'config:GetComplianceDetailsByConfigRule': { iamAction: 'config:GetComplianceDetailsByConfigRule', purpose: 'every evaluation result of every rule' },
  'config:DescribeConformancePacks': { iamAction: 'config:DescribeConformancePacks', purpose: 'the conformance packs deployed, to name the pack behind each rule' },
  'config:DescribeConformancePackCompliance': { iamAction: 'config:DescribeConformancePackCompliance', purpose: 'which rules each conformance pack holds, and their compliance' },
  'config:SelectResourceConfig': { iamAction: 'config:SelectResourceConfig', purpose: 'configuration items of the resource types the catalog needs' },
  'workspaces:DescribeWorkspaceDirectories': { iamAction: 'workspaces:DescribeWorkspaceDirectories', purpose: 'directory endpoint encryption mode (not recorded by AWS Config)' },
  'macie2:GetMacieSession': { iamAction: 'macie2:GetMacieSession', purpose: 'whether Amazon Macie is enabled' },
  'cloudtrail:LookupEvents': { iamAction: 'cloudtrail:LookupEvents', purpose: 'a bounded sample of management events, for the TLS version of API calls' },
} as const;

export type Operation = keyof typeof operations;

/** Options of `collect` that add operations. */
export type CollectOption = 'all-regions';
