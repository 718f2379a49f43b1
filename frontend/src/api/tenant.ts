import { http } from './http';
import type { Tenant, TenantUpdateInput } from './types';

export async function updateTenant(input: TenantUpdateInput): Promise<Tenant> {
  const { tenant } = await http.patch<{ tenant: Tenant }>('/api/tenant', input);
  return tenant;
}
