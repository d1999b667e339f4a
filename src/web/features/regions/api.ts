import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api';

export type RegionLevel = 'province' | 'city' | 'district' | 'town';
export type RegionKind = 'admin' | 'dev_zone';

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  kind: RegionKind;
  parentCode: string | null;
  /** False for ancestors the caller sees only for context. */
  inScope?: boolean;
}

export interface RegionNode extends Region {
  children?: RegionNode[];
}

export const regionsKey = ['regions'] as const;

export function useRegions(enabled = true) {
  return useQuery({
    queryKey: regionsKey,
    queryFn: ({ signal }) => api.get<{ items: Region[] }>('/regions', undefined, signal),
    staleTime: 5 * 60_000,
    enabled,
  });
}

/** Builds the division tree; a region whose parent is not visible to the caller becomes a root. */
export function buildRegionTree(items: readonly Region[]): RegionNode[] {
  const byCode = new Map<string, RegionNode>();
  for (const r of items) byCode.set(r.code, { ...r });
  const roots: RegionNode[] = [];
  for (const node of byCode.values()) {
    const parent = node.parentCode ? byCode.get(node.parentCode) : undefined;
    if (parent && parent !== node) {
      parent.children ??= [];
      parent.children.push(node);
    } else {
      roots.push(node);
    }
  }
  const sort = (nodes: RegionNode[]) => {
    nodes.sort((a, b) => a.code.localeCompare(b.code));
    for (const n of nodes) if (n.children) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Tree data for antd TreeSelect. */
export interface RegionOption {
  value: string;
  title: string;
  disabled?: boolean;
  children?: RegionOption[];
}

export function toTreeSelect(nodes: readonly RegionNode[]): RegionOption[] {
  return nodes.map((n) => ({
    value: n.code,
    title: `${n.name} (${n.code})`,
    disabled: n.inScope === false,
    children: n.children ? toTreeSelect(n.children) : undefined,
  }));
}

/** Regions inside the caller's scope (not the ancestors shown for context). */
export function inScopeCount(items: readonly Region[] | undefined): number | undefined {
  return items?.filter((r) => r.inScope !== false).length;
}
