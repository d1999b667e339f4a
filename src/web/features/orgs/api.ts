import type { OrgKind } from '../../../domain/access.ts';

export interface Org {
  id: string;
  name: string;
  kind: OrgKind;
  regionCode: string | null;
  regionName: string | null;
  parentId: string | null;
}
