// The records read from services whose evidence AWS Config does not hold (WorkSpaces directories, the
// Macie session, CloudTrail's TLS details and each trail's logging status and event selectors, the IAM
// credential report, AppStream stack settings): their types, as the checks name them. The readers are in readers/.

/** Record types read from service APIs, because AWS Config does not record them (or not all of it). */
export const apiResourceTypes = {
  workspacesDirectory: 'AWS::WorkSpaces::Directory',
  macieSession: 'AWS::Macie::Session',
  cloudtrailEventSample: 'AWS::CloudTrail::EventSample',
  iamCredentialReport: 'AWS::IAM::CredentialReport',
  /** DescribeStacks: what AWS Config's stack item lacks, such as the application-settings bucket's name. */
  appstreamStackSettings: 'AWS::AppStream::StackSettings',
  /** GetTrailStatus of one trail (id: its name), in its home region: whether it is logging, which AWS Config does not record. */
  cloudtrailTrailStatus: 'AWS::CloudTrail::TrailStatus',
  /** GetEventSelectors of one trail (id: its name), in its home region: AWS Config records only whether they are custom. */
  cloudtrailEventSelectors: 'AWS::CloudTrail::EventSelectors',
} as const;

/**
 * Records that complement AWS Config's items rather than stand for resources of their own: checks
 * that look at every resource ('*') skip them, so one stack or user is never reported twice.
 */
export const complementaryRecordTypes: ReadonlySet<string> = new Set([
  apiResourceTypes.iamCredentialReport,
  apiResourceTypes.appstreamStackSettings,
  apiResourceTypes.cloudtrailTrailStatus,
  apiResourceTypes.cloudtrailEventSelectors,
]);

/** One row of the IAM credential report, as the checks read it. */
export interface CredentialReportRow {
  user: string;
  arn: string;
  createdAt: string;
  /** "true", "false", or "not_supported" (the root user's row). */
  passwordEnabled: string;
  mfaActive: boolean;
  activeAccessKeys: number;
}
