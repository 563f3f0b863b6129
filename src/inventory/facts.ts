// What an inventory row needs of a configuration item beyond type, id and ARN: read once, when the item is
// evaluated, and kept (redacted) on its line of resources.jsonl.gz, so the inventory is written from the pack alone.
import type { Resource } from '../evidence/types.ts';

/** Inventory facts AWS Config recorded for a resource; a member is absent where the item does not say. */
export interface AssetFacts {
  /** IPv4 and IPv6 addresses in the configuration. */
  ips?: string[];
  /** DNS names and URLs that name the resource itself. */
  dns?: string[];
  netbios?: string;
  public?: boolean;
  /** Availability zone, where the item names one. */
  zone?: string;
  os?: string;
  /** The image or bundle the resource is built from. */
  baseline?: string;
  hardware?: string;
  software?: string;
  network?: string;
  /** From tags (tagKeys says which). */
  owner?: string;
  appOwner?: string;
  function?: string;
  nameTag?: string;
}

/** The tags each tag-filled column reads, first found wins (listed in the legend). */
export const tagKeys = {
  owner: ['Owner', 'owner', 'SystemOwner', 'System_Owner', 'system-owner'],
  appOwner: ['ApplicationOwner', 'Application_Owner', 'AppOwner', 'application-owner'],
  function: ['Function', 'function', 'Purpose', 'purpose'],
  nameTag: ['Name'],
} as const;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const strings = (...values: unknown[]): string[] =>
  values
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .map(str)
    .filter((v): v is string => v !== undefined);
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const tag = (tags: Record<string, string>, keys: readonly string[]) => keys.map((k) => str(tags[k])).find((v) => v !== undefined);
const yes = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/** The facts of one configuration item, by what its type's configuration records; undefined when there are none. */
export function assetFacts(r: Resource): AssetFacts | undefined {
  const c = r.configuration;
  const f: AssetFacts = {};
  switch (r.type) {
    case 'AWS::WorkSpaces::Workspace': {
      const p = obj(c.WorkspaceProperties);
      f.ips = strings(c.IpAddress);
      f.netbios = str(c.ComputerName);
      f.os = str(p.OperatingSystemName);
      f.baseline = str(c.BundleId) && `WorkSpaces bundle ${c.BundleId as string}`;
      f.hardware = str(p.ComputeTypeName) && `WorkSpaces compute type ${p.ComputeTypeName as string}`;
      f.network = str(c.SubnetId);
      break;
    }
    case 'AWS::WorkSpaces::ConnectionAlias':
      f.dns = strings(c.ConnectionString);
      break;
    case 'AWS::AppStream::Fleet': {
      f.os = str(c.Platform);
      f.baseline = str(c.ImageName) ? `AppStream image ${c.ImageName as string}` : str(c.ImageArn);
      f.hardware = str(c.InstanceType);
      f.network = strings(obj(c.VpcConfig).SubnetIds).join(' ') || undefined;
      break;
    }
    case 'AWS::AppStream::ImageBuilder':
      f.os = str(c.Platform);
      f.baseline = str(c.ImageArn);
      f.hardware = str(c.InstanceType);
      break;
    case 'AWS::EC2::Instance': {
      f.ips = strings(
        c.privateIpAddress,
        c.publicIpAddress,
        (Array.isArray(c.networkInterfaces) ? c.networkInterfaces : []).flatMap((n) => (Array.isArray(obj(n).ipv6Addresses) ? (obj(n).ipv6Addresses as unknown[]).map((a) => obj(a).ipv6Address) : [])),
      );
      f.dns = strings(c.privateDnsName, c.publicDnsName);
      f.public = str(c.publicIpAddress) !== undefined;
      f.zone = str(obj(c.placement).availabilityZone);
      f.os = str(c.platformDetails) ?? str(c.platform);
      f.baseline = str(c.imageId) && `AMI ${c.imageId as string}`;
      f.hardware = str(c.instanceType);
      f.network = strings(c.vpcId, c.subnetId).join(' ') || undefined;
      break;
    }
    case 'AWS::RDS::DBInstance': {
      f.dns = strings(obj(c.endpoint).address);
      f.public = yes(c.publiclyAccessible);
      f.zone = str(c.availabilityZone);
      f.hardware = str(c.dBInstanceClass);
      f.software = [str(c.engine), str(c.engineVersion)].filter(Boolean).join(' ') || undefined;
      f.network = str(obj(c.dBSubnetGroup).vpcId);
      break;
    }
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
    case 'AWS::ElasticLoadBalancing::LoadBalancer':
      f.dns = strings(c.dNSName ?? c.dnsname ?? c.DNSName);
      f.public = str(c.scheme) === undefined ? undefined : c.scheme === 'internet-facing';
      f.network = str(c.vpcId) ?? str(c.vpcid);
      break;
  }
  f.zone ??= r.zone;
  f.owner = tag(r.tags, tagKeys.owner);
  f.appOwner = tag(r.tags, tagKeys.appOwner);
  f.function = tag(r.tags, tagKeys.function);
  f.nameTag = tag(r.tags, tagKeys.nameTag);
  const kept = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)));
  return Object.keys(kept).length ? (kept as AssetFacts) : undefined;
}
