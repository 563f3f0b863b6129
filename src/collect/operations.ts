// Every AWS API operation the collector calls, with the IAM action it needs and which identity makes
// it: the one table that the least-privilege policies are generated from.
//   account:    the collector reading one account (collect --region/--all-regions)
//   aggregator: the collector reading an AWS Config aggregator (collect --aggregator)
//   member:     the role the collector assumes in each member account (collect --aggregator --assume-role)
//   files:      the collector reading AWS Config's delivered snapshot files from S3 (collect --from-files s3://…)
type Identity = 'account' | 'aggregator' | 'member' | 'files';

interface OperationInfo {
  iamAction: string | undefined;
  purpose: string;
  by: readonly Identity[];
  /** Only with this option. */
  only?: 'all-regions' | 'assume-role' | 'period';
}

const supplementary = ['account', 'member'] as const;

export const operations = {
  'sts:GetCallerIdentity': { iamAction: undefined, purpose: 'the collector identity, recorded in the chain of custody', by: ['account', 'aggregator', 'member'] },
  'sts:AssumeRole': { iamAction: 'sts:AssumeRole', purpose: 'the read-only role in each member account, for the reads an aggregator cannot give', by: ['aggregator'], only: 'assume-role' },
  'account:ListRegions': { iamAction: 'account:ListRegions', purpose: 'the regions enabled in the account', by: ['account'], only: 'all-regions' },
  'config:DescribeConfigurationRecorders': { iamAction: 'config:DescribeConfigurationRecorders', purpose: 'which resource types each region records', by: ['account', 'member'] },
  'config:DescribeConfigurationRecorderStatus': {
    iamAction: 'config:DescribeConfigurationRecorderStatus',
    purpose: "whether each recorder is running (in a member account: rather than the aggregator's source status)",
    by: ['account', 'member'],
  },
  'config:DescribeConfigRules': { iamAction: 'config:DescribeConfigRules', purpose: 'the rules deployed and their managed-rule identifiers', by: ['account'] },
  'config:DescribeComplianceByConfigRule': { iamAction: 'config:DescribeComplianceByConfigRule', purpose: "each rule's own verdict, against which the results read are checked", by: ['account'] },
  'config:GetComplianceDetailsByConfigRule': { iamAction: 'config:GetComplianceDetailsByConfigRule', purpose: 'every evaluation result of every rule', by: ['account'] },
  'config:DescribeConformancePacks': { iamAction: 'config:DescribeConformancePacks', purpose: 'the conformance packs deployed, to name the pack behind each rule', by: ['account'] },
  'config:DescribeConformancePackCompliance': { iamAction: 'config:DescribeConformancePackCompliance', purpose: 'which rules each conformance pack holds, and their compliance', by: ['account'] },
  'config:SelectResourceConfig': { iamAction: 'config:SelectResourceConfig', purpose: 'configuration items of the resource types the catalog needs', by: ['account'] },
  'config:GetResourceConfigHistory': {
    iamAction: 'config:GetResourceConfigHistory',
    purpose: "with --period: each resource's configuration item at the period end, and its changes during the period",
    by: ['account'],
    only: 'period',
  },
  'config:ListDiscoveredResources': {
    iamAction: 'config:ListDiscoveredResources',
    purpose: 'with --period: the resources deleted since the period end, which existed at it',
    by: ['account'],
    only: 'period',
  },
  'config:DescribeConfigurationAggregators': {
    iamAction: 'config:DescribeConfigurationAggregators',
    purpose: 'the aggregator and its sources (accounts or organization, regions)',
    by: ['aggregator'],
  },
  'config:DescribeConfigurationAggregatorSourcesStatus': {
    iamAction: 'config:DescribeConfigurationAggregatorSourcesStatus',
    purpose: 'which source accounts and regions the aggregator holds current data for',
    by: ['aggregator'],
  },
  'config:SelectAggregateResourceConfig': { iamAction: 'config:SelectAggregateResourceConfig', purpose: 'configuration items across the aggregated accounts and regions', by: ['aggregator'] },
  'config:DescribeAggregateComplianceByConfigRules': { iamAction: 'config:DescribeAggregateComplianceByConfigRules', purpose: 'every rule in every aggregated account and region', by: ['aggregator'] },
  'config:GetAggregateComplianceDetailsByConfigRule': { iamAction: 'config:GetAggregateComplianceDetailsByConfigRule', purpose: 'the evaluation results of each aggregated rule', by: ['aggregator'] },
  'workspaces:DescribeWorkspaceDirectories': { iamAction: 'workspaces:DescribeWorkspaceDirectories', purpose: 'directory endpoint encryption mode (not recorded by AWS Config)', by: supplementary },
  'macie2:GetMacieSession': { iamAction: 'macie2:GetMacieSession', purpose: 'whether Amazon Macie is enabled', by: supplementary },
  'cloudtrail:LookupEvents': { iamAction: 'cloudtrail:LookupEvents', purpose: 'a bounded sample of management events, for the TLS version of API calls', by: supplementary },
  'cloudtrail:DescribeTrails': {
    iamAction: 'cloudtrail:DescribeTrails',
    purpose: "the trails homed in each region (AWS Config's trail items do not say whether a trail is logging)",
    by: supplementary,
  },
  'cloudtrail:GetTrailStatus': { iamAction: 'cloudtrail:GetTrailStatus', purpose: 'whether each trail is logging, and when it last delivered', by: supplementary },
  'cloudtrail:GetEventSelectors': { iamAction: 'cloudtrail:GetEventSelectors', purpose: 'which management events each trail records (read, write, excluded sources)', by: supplementary },
  'appstream:DescribeStacks': { iamAction: 'appstream:DescribeStacks', purpose: "the S3 bucket that holds each stack's persisted application settings", by: supplementary },
  'iam:GenerateCredentialReport': { iamAction: 'iam:GenerateCredentialReport', purpose: 'a current IAM credential report (IAM keeps one for four hours)', by: supplementary },
  'iam:GetCredentialReport': { iamAction: 'iam:GetCredentialReport', purpose: "MFA state of the root user and every IAM user (not in AWS Config's IAM items)", by: supplementary },
  's3:ListObjectsV2': { iamAction: 's3:ListBucket', purpose: 'the snapshot files AWS Config delivered under the prefix', by: ['files'] },
  's3:GetObject': { iamAction: 's3:GetObject', purpose: 'the chosen snapshot file of each account and region', by: ['files'] },
} as const satisfies Record<string, OperationInfo>;

export type Operation = keyof typeof operations;

/** Options of `collect` that add operations. */
export type CollectOption = 'all-regions' | 'assume-role' | 'period';

/** The IAM actions one identity needs with these options, sorted. */
export function actionsFor(identity: Identity, options: CollectOption[] = []): string[] {
  const actions = (Object.values(operations) as OperationInfo[])
    .filter((o) => o.by.includes(identity) && (!o.only || options.includes(o.only)))
    .map((o) => o.iamAction)
    .filter((a): a is string => a !== undefined);
  return [...new Set(actions)].sort();
}
