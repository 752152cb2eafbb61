import type { HTMLAttributes, ReactNode } from 'react';
import { Pager } from './pager';
import { QueryState } from './states';

/** One column of a DataTable: its header, the cell it renders for a row, and the cell's style. */
export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Classes of the cell (`td`); the header cell keeps the table's header style. */
  className?: string;
}

type RowAttributes = HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string>;

export interface TableProps<T> {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  /** Names the table for assistive technology (visually hidden). */
  caption: string;
  testId?: string;
  /** Table min width: narrow screens scroll the table instead of squeezing it. */
  minWidth?: keyof typeof minWidths;
  /** `compact` cells (px-3 py-2) for dense logs; `comfortable` (px-4 py-2.5) otherwise. */
  density?: 'comfortable' | 'compact';
  rowProps?: (row: T) => RowAttributes;
}

// Literal classes, so Tailwind's scan of the sources finds them.
const minWidths = {
  none: '',
  '32rem': 'min-w-[32rem]',
  '36rem': 'min-w-[36rem]',
  '40rem': 'min-w-[40rem]',
} as const;
const cellPadding = { comfortable: 'px-4 py-2.5', compact: 'px-3 py-2' } as const;
const headerPadding = { comfortable: 'px-4 py-2', compact: 'px-3 py-2' } as const;

/** The markup every table of the console shares: caption, column headers with scope, rows. */
export function Table<T>({
  columns,
  rows,
  rowKey,
  caption,
  testId,
  minWidth = '36rem',
  density = 'comfortable',
  rowProps,
}: TableProps<T>) {
  return (
    <div className="-mx-4 overflow-x-auto sm:mx-0">
      <table
        className={`w-full text-left text-sm ${minWidths[minWidth]}`}
        {...(testId ? { 'data-testid': testId } : {})}
      >
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col" className={`${headerPadding[density]} font-medium`}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowProps?.(row)}>
              {columns.map((column, index) => (
                <td key={index} className={`${cellPadding[density]} ${column.className ?? ''}`}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A page of a newest-first list, as every list endpoint answers it. */
export interface ListPage<T> {
  data: T[];
  has_more: boolean;
}

/** What `usePager` (lib/use-pager.ts) returns. */
export interface PagerState {
  page: number;
  canGoBack: boolean;
  next: (lastId: string) => void;
  back: () => void;
}

export interface PagedListProps<T> {
  query: {
    isPending: boolean;
    error: unknown;
    data: ListPage<T> | undefined;
    refetch: () => unknown;
  };
  /** Without a pager the list shows one page and no paging buttons. */
  pager?: PagerState | undefined;
  /** Shown when there is nothing to list (after `select`). */
  empty: ReactNode;
  /** Narrows the rows shown; paging still follows the page the API answered. */
  select?: ((rows: T[]) => T[]) | undefined;
  children: (rows: T[]) => ReactNode;
}

/**
 * Loading, error with retry, the empty state, the rows and the pager of one list query: the
 * shape of every list in the console. `children` renders the rows (a Table, or a list).
 */
export function PagedList<T extends { id: string }>({
  query,
  pager,
  empty,
  select,
  children,
}: PagedListProps<T>) {
  return (
    <QueryState query={query}>
      {(page) => {
        const rows = select ? select(page.data) : page.data;
        if (rows.length === 0) return <>{empty}</>;
        return (
          <>
            {children(rows)}
            {pager && (
              <Pager
                page={pager.page}
                canGoBack={pager.canGoBack}
                hasMore={page.has_more}
                onBack={pager.back}
                onNext={() => {
                  const last = page.data.at(-1);
                  if (last) pager.next(last.id);
                }}
              />
            )}
          </>
        );
      }}
    </QueryState>
  );
}

/** A list query shown as a table: loading, error, empty state, rows by columns, and pager. */
export function DataTable<T extends { id: string }>({
  query,
  pager,
  empty,
  select,
  ...table
}: Omit<PagedListProps<T>, 'children'> & Omit<TableProps<T>, 'rows' | 'rowKey'>) {
  return (
    <PagedList query={query} pager={pager} empty={empty} select={select}>
      {(rows) => <Table {...table} rows={rows} rowKey={(row) => row.id} />}
    </PagedList>
  );
}
