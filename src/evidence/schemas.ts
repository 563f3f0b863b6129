// Shapes of the AWS responses and files the reader accepts: only the fields evaluation relies on are
// required; everything else AWS adds is allowed, so real exports read as they are.
const str = { type: 'string', minLength: 1 } as const;
const time = { type: ['string', 'number'] } as const;
const account = { type: 'string', pattern: '^\\d{12}$' } as const;

export const snapshotMetaSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['schema', 'snapshotId', 'organization', 'collectedAt', 'collector', 'scope', 'gaps'],
  properties: {
    schema: { const: 'evidence-pack/snapshot@1' },
    snapshotId: str,
    organization: str,
    collectedAt: str,
    collector: {
      type: 'object',
      additionalProperties: false,
      required: ['method', 'description'],
      properties: { method: { enum: ['sample', 'files', 'live'] }, description: str, identity: { type: ['string', 'null'] } },
    },
    scope: {
      type: 'object',
      additionalProperties: false,
      required: ['accounts', 'regions'],
      properties: { accounts: { type: 'array', minItems: 1, items: account }, regions: { type: 'array', minItems: 1, items: str } },
    },
    gaps: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['reason'], properties: { account, region: str, api: str, reason: str } },
    },
    asOf: {
      type: 'object',
      additionalProperties: false,
      required: ['period', 'to', 'basis'],
      properties: { period: str, to: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' }, basis: { enum: ['configuration-history', 'delivered-snapshots'] } },
    },
  },
} as const;

// Delivered snapshot files use awsAccountId/ARN; API responses use accountId/arn. Both are accepted.
export const configSnapshotSchema = {
  type: 'object',
  required: ['fileVersion', 'configurationItems'],
  properties: {
    fileVersion: { const: '1.0' },
    configSnapshotId: str,
    configurationItems: {
      type: 'array',
      items: {
        type: 'object',
        required: ['configurationItemCaptureTime', 'configurationItemStatus', 'resourceType', 'resourceId', 'awsRegion'],
        anyOf: [{ required: ['awsAccountId'] }, { required: ['accountId'] }],
        properties: {
          configurationItemCaptureTime: time,
          configurationItemStatus: { enum: ['OK', 'ResourceDiscovered', 'ResourceNotRecorded', 'ResourceDeleted', 'ResourceDeletedNotRecorded'] },
          awsAccountId: account,
          accountId: account,
          awsRegion: str,
          resourceType: { type: 'string', pattern: '^AWS::' },
          resourceId: str,
          resourceName: { type: ['string', 'null'] },
          ARN: { type: ['string', 'null'] },
          arn: { type: ['string', 'null'] },
          tags: { type: ['object', 'array', 'null'] },
          configuration: { type: ['object', 'string', 'null'] },
          supplementaryConfiguration: { type: ['object', 'null'] },
        },
      },
    },
  },
} as const;

export const selectResourceConfigPageSchema = {
  type: 'object',
  required: ['Results'],
  properties: { Results: { type: 'array', items: { type: 'string' } } },
} as const;

export const collectionLogSchema = {
  type: 'object',
  required: ['schema', 'calls'],
  properties: { schema: { const: 'evidence-pack/collection-log@1' }, calls: { type: 'array' } },
} as const;

export const describeConfigRulesSchema = {
  type: 'object',
  required: ['ConfigRules'],
  properties: {
    ConfigRules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['ConfigRuleName', 'Source'],
        properties: {
          ConfigRuleName: str,
          ConfigRuleState: str,
          Source: { type: 'object', required: ['Owner'], properties: { Owner: str, SourceIdentifier: str } },
        },
      },
    },
  },
} as const;

const evaluationResult = {
  type: 'object',
  required: ['EvaluationResultIdentifier', 'ComplianceType', 'ResultRecordedTime'],
  properties: {
    EvaluationResultIdentifier: {
      type: 'object',
      required: ['EvaluationResultQualifier'],
      properties: {
        EvaluationResultQualifier: {
          type: 'object',
          required: ['ConfigRuleName', 'ResourceType', 'ResourceId'],
          properties: { ConfigRuleName: str, ResourceType: str, ResourceId: str },
        },
      },
    },
    ComplianceType: { enum: ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'] },
    ResultRecordedTime: time,
    ConfigRuleInvokedTime: time,
    Annotation: { type: 'string' },
  },
} as const;

export const complianceDetailsSchema = {
  type: 'object',
  required: ['EvaluationResults'],
  properties: { EvaluationResults: { type: 'array', items: evaluationResult } },
} as const;

/** GetAggregateComplianceDetailsByConfigRule: the same results, each naming its account and region. */
export const aggregateComplianceDetailsSchema = {
  type: 'object',
  required: ['AggregateEvaluationResults'],
  properties: {
    AggregateEvaluationResults: {
      type: 'array',
      items: { ...evaluationResult, required: [...evaluationResult.required, 'AccountId', 'AwsRegion'], properties: { ...evaluationResult.properties, AccountId: str, AwsRegion: str } },
    },
  },
} as const;

export const aggregateRuleComplianceSchema = {
  type: 'object',
  required: ['AggregateComplianceByConfigRules'],
  properties: {
    AggregateComplianceByConfigRules: {
      type: 'array',
      items: { type: 'object', required: ['ConfigRuleName', 'AccountId', 'AwsRegion'], properties: { ConfigRuleName: str, AccountId: str, AwsRegion: str } },
    },
  },
} as const;

export const aggregatorSourcesStatusSchema = {
  type: 'object',
  required: ['AggregatedSourceStatusList'],
  properties: {
    AggregatedSourceStatusList: {
      type: 'array',
      items: {
        type: 'object',
        required: ['SourceId', 'SourceType', 'AwsRegion', 'LastUpdateStatus'],
        properties: { SourceId: str, SourceType: { enum: ['ACCOUNT', 'ORGANIZATION'] }, AwsRegion: str, LastUpdateStatus: { enum: ['SUCCEEDED', 'FAILED', 'OUTDATED'] }, LastUpdateTime: time },
      },
    },
  },
} as const;

export const aggregatorsSchema = {
  type: 'object',
  required: ['ConfigurationAggregators'],
  properties: { ConfigurationAggregators: { type: 'array', minItems: 1, items: { type: 'object', required: ['ConfigurationAggregatorName'] } } },
} as const;

export const recordersSchema = {
  type: 'object',
  required: ['ConfigurationRecorders'],
  properties: {
    ConfigurationRecorders: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'recordingGroup'],
        properties: {
          name: str,
          recordingGroup: {
            type: 'object',
            properties: { allSupported: { type: 'boolean' }, includeGlobalResourceTypes: { type: 'boolean' }, resourceTypes: { type: 'array', items: str } },
          },
        },
      },
    },
  },
} as const;

export const recorderStatusSchema = {
  type: 'object',
  required: ['ConfigurationRecordersStatus'],
  properties: {
    ConfigurationRecordersStatus: {
      type: 'array',
      items: { type: 'object', required: ['name', 'recording'], properties: { name: str, recording: { type: 'boolean' }, lastStatus: str, lastStartTime: time } },
    },
  },
} as const;

export const workspaceDirectoriesSchema = {
  type: 'object',
  required: ['Directories'],
  properties: {
    Directories: {
      type: 'array',
      items: { type: 'object', required: ['DirectoryId'], properties: { DirectoryId: str, DirectoryName: str, EndpointEncryptionMode: str, State: str } },
    },
  },
} as const;

/** The session, or the error Macie answers where it is not enabled (kept by the collector as the response). */
export const macieSessionSchema = {
  oneOf: [
    {
      type: 'object',
      required: ['status'],
      properties: { status: { enum: ['ENABLED', 'PAUSED'] }, createdAt: time, updatedAt: time, findingPublishingFrequency: str },
    },
    {
      type: 'object',
      required: ['Error'],
      properties: { Error: { type: 'object', required: ['Code', 'Message'], properties: { Code: str, Message: str, HttpStatusCode: { type: 'integer' }, RequestId: str } } },
    },
  ],
} as const;

export const lookupEventsSchema = {
  type: 'object',
  required: ['Events'],
  properties: {
    Events: {
      type: 'array',
      items: { type: 'object', required: ['EventId', 'EventTime', 'CloudTrailEvent'], properties: { EventId: str, EventName: str, EventSource: str, EventTime: time, CloudTrailEvent: str } },
    },
  },
} as const;

/** DescribeTrails with includeShadowTrails false: the trails homed in the region. */
export const describeTrailsSchema = {
  type: 'object',
  required: ['trailList'],
  properties: {
    trailList: {
      type: 'array',
      items: { type: 'object', required: ['Name'], properties: { Name: str, TrailARN: str, HomeRegion: str, IsMultiRegionTrail: { type: 'boolean' }, HasCustomEventSelectors: { type: 'boolean' } } },
    },
  },
} as const;

export const trailStatusSchema = {
  type: 'object',
  required: ['IsLogging'],
  properties: { IsLogging: { type: 'boolean' }, LatestDeliveryTime: time, StartLoggingTime: time, StopLoggingTime: time, LatestDeliveryError: { type: 'string' } },
} as const;

const fieldSelectors = { type: 'array', items: { type: 'object', required: ['Field'], properties: { Field: str, Equals: { type: 'array', items: { type: 'string' } } } } } as const;
export const eventSelectorsSchema = {
  type: 'object',
  properties: {
    TrailARN: str,
    EventSelectors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          ReadWriteType: { enum: ['ReadOnly', 'WriteOnly', 'All'] },
          IncludeManagementEvents: { type: 'boolean' },
          ExcludeManagementEventSources: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    AdvancedEventSelectors: { type: 'array', items: { type: 'object', required: ['FieldSelectors'], properties: { Name: { type: 'string' }, FieldSelectors: fieldSelectors } } },
  },
} as const;

const count = { type: 'integer', minimum: 0 } as const;

/** What `collect --cloudtrail-logs` writes per account and region: the files read (hashed) and their summary. */
export const cloudtrailLogFilesSchema = {
  type: 'object',
  required: ['schema', 'files', 'summary'],
  properties: {
    schema: { const: 'evidence-pack/cloudtrail-log-files@1' },
    files: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', required: ['path', 'sha256', 'bytes', 'events'], properties: { path: str, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' }, bytes: count, events: count } },
    },
    summary: {
      type: 'object',
      required: ['events', 'tlsVersions', 'belowTls12', 'hostHeaders', 'standardHosts'],
      properties: {
        events: count,
        from: str,
        to: str,
        tlsVersions: { type: 'object', additionalProperties: count },
        belowTls12: { type: 'array', items: { type: 'object', required: ['tlsVersion', 'eventSource', 'eventName', 'userAgent', 'count'], properties: { count } } },
        hostHeaders: { type: 'object', required: ['fips', 'standard'], properties: { fips: count, standard: count } },
        standardHosts: { type: 'array', items: { type: 'object', required: ['host', 'userAgent', 'count'], properties: { count } } },
      },
    },
  },
} as const;

export const complianceByConfigRuleSchema = {
  type: 'object',
  required: ['ComplianceByConfigRules'],
  properties: {
    ComplianceByConfigRules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['ConfigRuleName'],
        properties: { ConfigRuleName: str, Compliance: { type: 'object', properties: { ComplianceType: { enum: ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'] } } } },
      },
    },
  },
} as const;

export const listDiscoveredResourcesSchema = {
  type: 'object',
  required: ['resourceIdentifiers'],
  properties: {
    resourceIdentifiers: { type: 'array', items: { type: 'object', required: ['resourceType', 'resourceId'], properties: { resourceType: str, resourceId: str, resourceDeletionTime: time } } },
  },
} as const;

export const credentialReportSchema = {
  type: 'object',
  required: ['Content', 'GeneratedTime'],
  properties: { Content: { type: 'string', contentEncoding: 'base64', minLength: 1 }, ReportFormat: { const: 'text/csv' }, GeneratedTime: time },
} as const;

export const describeStacksSchema = {
  type: 'object',
  required: ['Stacks'],
  properties: {
    Stacks: {
      type: 'array',
      items: {
        type: 'object',
        required: ['Name'],
        properties: {
          Name: str,
          Arn: str,
          StorageConnectors: { type: 'array', items: { type: 'object', required: ['ConnectorType'], properties: { ConnectorType: str } } },
          ApplicationSettings: { type: 'object', properties: { Enabled: { type: 'boolean' }, SettingsGroup: { type: 'string' }, S3BucketName: str } },
        },
      },
    },
  },
} as const;

export const conformancePacksSchema = {
  type: 'object',
  required: ['ConformancePackDetails'],
  properties: { ConformancePackDetails: { type: 'array', items: { type: 'object', required: ['ConformancePackName'], properties: { ConformancePackName: str } } } },
} as const;

export const conformancePackComplianceSchema = {
  type: 'object',
  required: ['ConformancePackRuleComplianceList'],
  properties: {
    ConformancePackName: str,
    ConformancePackRuleComplianceList: {
      type: 'array',
      items: { type: 'object', required: ['ConfigRuleName'], properties: { ConfigRuleName: str, ComplianceType: str, Controls: { type: 'array', items: { type: 'string' } } } },
    },
  },
} as const;

/** What collect --period saves per resource: the GetResourceConfigHistory responses behind its state at the period end. */
export const resourceHistorySchema = {
  type: 'object',
  required: ['schema', 'period', 'resourceType', 'resourceId', 'calls'],
  properties: {
    schema: { const: 'evidence-pack/resource-history@1' },
    period: { type: 'object', required: ['label', 'from', 'to'], properties: { label: str, from: str, to: str } },
    resourceType: str,
    resourceId: str,
    calls: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', required: ['request', 'response'], properties: { response: { type: 'object', properties: { configurationItems: { type: 'array' } } } } },
    },
  },
} as const;
