import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TablePaginationConfig, TableProps } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Paged, type QueryParams } from '../app/api';

export type SortOrder = 'asc' | 'desc';

export interface PagedListOptions {
  /** Query key prefix, e.g. 'orgs'. */
  key: string;
  /** API path below /api/v1, e.g. '/orgs'. */
  path: string;
  initialFilters?: QueryParams;
  pageSize?: number;
  defaultSort?: { sort: string; order: SortOrder };
  /** Poll while the returned predicate holds for the current page. */
  refetchWhile?: (page: Paged<unknown>) => boolean;
  refetchIntervalMs?: number;
  enabled?: boolean;
}

interface State {
  page: number;
  pageSize: number;
  sort?: string;
  order?: SortOrder;
  filters: QueryParams;
}

/** Server-side paged, sorted and filtered list bound to an antd Table. */
export function usePagedList<T extends object>(options: PagedListOptions) {
  const { t } = useTranslation();
  const [state, setState] = useState<State>({
    page: 1,
    pageSize: options.pageSize ?? 20,
    sort: options.defaultSort?.sort,
    order: options.defaultSort?.order,
    filters: options.initialFilters ?? {},
  });

  const params: QueryParams = {
    ...state.filters,
    page: state.page,
    pageSize: state.pageSize,
    sort: state.sort,
    order: state.sort ? state.order : undefined,
  };

  const query = useQuery({
    queryKey: [options.key, 'list', params],
    queryFn: ({ signal }) => api.get<Paged<T>>(options.path, params, signal),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
    refetchInterval: (q) => {
      const data = q.state.data as Paged<unknown> | undefined;
      return data && options.refetchWhile?.(data) ? (options.refetchIntervalMs ?? 2000) : false;
    },
  });

  const setFilters = (filters: QueryParams) => setState((s) => ({ ...s, filters, page: 1 }));
  const setPage = (page: number, pageSize?: number) =>
    setState((s) => ({ ...s, page, pageSize: pageSize ?? s.pageSize }));

  const onChange: TableProps<T>['onChange'] = (pagination: TablePaginationConfig, _filters, sorter) => {
    const single = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<T> | undefined;
    const field = single?.order ? String(single.columnKey ?? single.field ?? '') || undefined : undefined;
    const order: SortOrder | undefined = field ? (single?.order === 'descend' ? 'desc' : 'asc') : undefined;
    setState((s) => ({
      ...s,
      page: field !== s.sort || order !== s.order ? 1 : (pagination.current ?? 1),
      pageSize: pagination.pageSize ?? s.pageSize,
      sort: field,
      order,
    }));
  };

  /** Controlled sort indicator for a column. */
  const sortOrderOf = (columnKey: string): 'ascend' | 'descend' | null =>
    state.sort === columnKey ? (state.order === 'desc' ? 'descend' : 'ascend') : null;

  const tableProps = {
    dataSource: query.data?.items ?? [],
    loading: query.isLoading || query.isPlaceholderData,
    onChange,
    scroll: { x: 'max-content' as const },
    pagination: {
      current: state.page,
      pageSize: state.pageSize,
      total: query.data?.total ?? 0,
      showSizeChanger: true,
      pageSizeOptions: [10, 20, 50, 100],
      showTotal: (total: number) => t('common.total', { count: total }),
      responsive: true,
    } satisfies TablePaginationConfig,
  };

  return { query, state, params, setFilters, setPage, sortOrderOf, tableProps };
}
