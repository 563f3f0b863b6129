import { appstreamFleetNetworkIsolation } from './appstream/fleet-network-isolation.ts';
import { appstreamPersistenceEncrypted } from './appstream/persistence-encrypted.ts';
import { cloudtrailFipsEndpoints } from './cloudtrail/fips-endpoints.ts';
import { cloudtrailKmsEncryption } from './cloudtrail/kms-encryption.ts';
import { cloudtrailLogFileValidation } from './cloudtrail/log-file-validation.ts';
import { cloudtrailMultiRegionLogging } from './cloudtrail/multi-region-logging.ts';
import { cloudtrailTlsVersion } from './cloudtrail/tls-version.ts';
import { credentialsInUrls } from './common/credentials-in-urls.ts';
import { sensitiveDataInTagsAndNames } from './common/sensitive-data-in-tags-and-names.ts';
import { iamRootMfa } from './iam/root-mfa.ts';
import { iamUserMfa } from './iam/user-mfa.ts';
import { kmsKeyRotation } from './kms/key-rotation.ts';
import { macieEnabled } from './macie/macie-enabled.ts';
import { bucketDefaultEncryption } from './s3/bucket-default-encryption.ts';
import { bucketTlsOnly } from './s3/bucket-tls-only.ts';
import type { Check } from './types.ts';
import { directoryFipsEndpoint } from './workspaces/directory-fips-endpoint.ts';
import { workspaceVolumeEncryption } from './workspaces/workspace-volume-encryption.ts';

/** Every built-in check, listed explicitly so the catalog can be validated against it. */
export const checks: readonly Check[] = [
  workspaceVolumeEncryption,
  directoryFipsEndpoint,
  appstreamPersistenceEncrypted,
  appstreamFleetNetworkIsolation,
  iamUserMfa,
  iamRootMfa,
  cloudtrailMultiRegionLogging,
  cloudtrailLogFileValidation,
  cloudtrailKmsEncryption,
  cloudtrailTlsVersion,
  cloudtrailFipsEndpoints,
  bucketDefaultEncryption,
  bucketTlsOnly,
  kmsKeyRotation,
  macieEnabled,
  sensitiveDataInTagsAndNames,
  credentialsInUrls,
];

export const checksById: ReadonlyMap<string, Check> = new Map(checks.map((c) => [c.id, c]));
