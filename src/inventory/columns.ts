// The columns of FedRAMP's Integrated Inventory Workbook (SSP Appendix M, the Rev. 5 successor of
// SSP Attachment 13): its Inventory sheet's header row, B to Z, spelled as the template spells them.
// Each column says what fills it here, or why it stays blank (the legend inventory.xlsx and the report show).
import type { ResultResource } from '../evaluate/result.ts';
import { tagKeys } from './facts.ts';

export interface InventoryColumn {
  header: string;
  /** Where the value comes from, or why the column is blank. */
  source: string;
  value: (r: ResultResource) => string;
}

const yesNo = (v: boolean | undefined) => (v === undefined ? '' : v ? 'Yes' : 'No');
const list = (v: string[] | undefined) => (v ?? []).join(' ');
const blank = () => '';
const tagsNamed = (keys: readonly string[]) => keys.map((k) => `"${k}"`).join(', ');

export const inventoryColumns: InventoryColumn[] = [
  { header: 'UNIQUE ASSET IDENTIFIER', source: 'The resource ARN from AWS Config; where Config records none, account/region/type/id.', value: (r) => r.arn ?? r.key },
  {
    header: 'IPv4 or IPv6 Address',
    source: 'IP addresses recorded in the configuration item (WorkSpaces IpAddress; EC2 private, public and IPv6 addresses); blank where the resource type records none.',
    value: (r) => list(r.asset?.ips),
  },
  { header: 'Virtual', source: 'Always Yes: every AWS resource is virtual to the customer.', value: () => 'Yes' },
  {
    header: 'Public',
    source: 'Yes/No where the configuration says (EC2 public IP address, RDS publiclyAccessible, load balancer scheme); blank where it does not.',
    value: (r) => yesNo(r.asset?.public),
  },
  {
    header: 'DNS Name or URL',
    source: 'DNS names recorded in the configuration (EC2 private/public DNS name, RDS endpoint, load balancer DNS name, WorkSpaces connection alias).',
    value: (r) => list(r.asset?.dns),
  },
  { header: 'NetBIOS Name', source: 'WorkSpaces ComputerName where recorded; blank otherwise (AWS Config records no NetBIOS names).', value: (r) => r.asset?.netbios ?? '' },
  { header: 'MAC Address', source: 'Blank: AWS Config configuration items in scope do not record MAC addresses.', value: blank },
  { header: 'Authenticated Scan', source: 'Blank: scanning is outside AWS Config; the customer fills it from the scanner.', value: blank },
  {
    header: 'Baseline Configuration Name',
    source: 'The image the resource is built from: WorkSpaces bundle, AppStream image, EC2 AMI; blank otherwise (no hardening benchmark is recorded).',
    value: (r) => r.asset?.baseline ?? '',
  },
  { header: 'OS Name and Version', source: 'Where recorded: WorkSpaces OperatingSystemName, AppStream platform, EC2 platform details.', value: (r) => r.asset?.os ?? '' },
  { header: 'Location', source: 'AWS account/region, and the availability zone where the item names one.', value: (r) => [r.account, r.region, r.asset?.zone].filter(Boolean).join('/') },
  { header: 'Asset Type', source: 'The AWS Config resource type.', value: (r) => r.type },
  {
    header: 'Hardware Make/Model',
    source: 'Instance or compute type where recorded (WorkSpaces compute type, AppStream and EC2 instance type, RDS instance class).',
    value: (r) => r.asset?.hardware ?? '',
  },
  { header: 'In Latest Scan', source: 'Blank: scanning is outside AWS Config.', value: blank },
  { header: 'Software/ Database Vendor', source: 'Blank: AWS Config does not name software vendors.', value: blank },
  { header: 'Software/ Database Name & Version', source: 'RDS engine and engine version where recorded.', value: (r) => r.asset?.software ?? '' },
  { header: 'Patch Level', source: 'Blank: patch state is outside AWS Config configuration items.', value: blank },
  { header: 'Diagram Label', source: "Blank: the boundary diagram is the customer's.", value: blank },
  { header: 'Comments', source: `The ${tagsNamed(tagKeys.nameTag)} tag, redacted like all evidence text.`, value: (r) => (r.asset?.nameTag ? `Name tag: ${r.asset.nameTag}` : '') },
  { header: 'Serial #/Asset Tag#', source: 'The AWS resource id.', value: (r) => r.id },
  { header: 'VLAN/ Network ID', source: 'VPC and subnet ids where recorded (EC2, WorkSpaces, AppStream fleet, RDS, load balancers).', value: (r) => r.asset?.network ?? '' },
  { header: 'System Administrator/ Owner', source: `The first tag of ${tagsNamed(tagKeys.owner)}, redacted (an e-mail address is masked).`, value: (r) => r.asset?.owner ?? '' },
  { header: 'Application Administrator/ Owner', source: `The first tag of ${tagsNamed(tagKeys.appOwner)}, redacted.`, value: (r) => r.asset?.appOwner ?? '' },
  { header: 'Function', source: `The first tag of ${tagsNamed(tagKeys.function)}, redacted.`, value: (r) => r.asset?.function ?? '' },
  { header: 'End-of-Life', source: 'Blank: AWS Config records no end-of-life dates.', value: blank },
];

export const inventoryHeaders = inventoryColumns.map((c) => c.header);

/** One resource's row, in the template's column order. */
export function inventoryRow(r: ResultResource): string[] {
  return inventoryColumns.map((c) => c.value(r));
}

/** Where the column list comes from, for the legend. */
export const inventoryTemplate = 'FedRAMP Integrated Inventory Workbook Template (SSP Appendix M, Rev. 5; formerly SSP Attachment 13), Inventory sheet, columns B–Z';
