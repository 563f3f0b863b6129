import { optionalField, requireField } from '../../fields.ts';
import type { Check } from '../../types.ts';

export const check: Check = {
  id: 'appstream-fleet-network-isolation',
  title: "AppStream fleets run in the account's VPC without default internet access",
  service: 'AppStream 2.0',
  resourceTypes: ['AWS::AppStream::Fleet'],
  source: { kind: 'config' },
  remediation: 'Attach the fleet to private subnets of your VPC (with security groups), turn off default internet access, and route any internet traffic through your NAT and egress controls.',
  evaluate(fleet) {
    const internet = requireField(fleet, 'configuration', 'EnableDefaultInternetAccess', 'boolean');
    const subnets = optionalField(fleet, 'configuration', 'VpcConfig.SubnetIds');
    const groups = optionalField(fleet, 'configuration', 'VpcConfig.SecurityGroupIds');
    const inVpc = Array.isArray(subnets) && subnets.length > 0;
    const where = inVpc
      ? `in ${subnets.length} subnet(s) of the account's VPC${Array.isArray(groups) && groups.length ? ` with ${groups.length} security group(s)` : ' without a security group'}`
      : 'not attached to a VPC of the account';
    const problems = [...(inVpc ? [] : ['not in a VPC']), ...(internet ? ['default internet access on'] : [])];
    return problems.length
      ? { status: 'fail', message: `${problems.join('; ')}: fleet ${where}, default internet access ${internet ? 'enabled' : 'disabled'}` }
      : { status: 'pass', message: `fleet ${where}, default internet access disabled` };
  },
};
