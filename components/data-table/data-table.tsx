'use client'

import type { Column, Column_RowSorting, ReactTable, RowData, TableFeatures } from '@tanstack/react-table'
import { ariaSort, SortHeader } from './sort-header'

declare module '@tanstack/react-table' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a merged declaration repeats the type parameters
  interface ColumnMeta<TFeatures extends TableFeatures, TData extends RowData, TValue> {
    /** Extra classes for the column's header and cells, e.g. `text-right tabular-nums` for numbers. */
    className?: string
  }
}

/** The column's `meta.className` (the feature set may type `meta` as something else). */
function classOf(column: { columnDef: { meta?: unknown } }): string {
  const className = (column.columnDef.meta as { className?: string } | undefined)?.className
  return className ? ` ${className}` : ''
}

/** The sorting API of a column, present only when the table has the row sorting feature. */
function sortingOf<TFeatures extends TableFeatures, TData extends RowData>(column: Column<TFeatures, TData, unknown>) {
  const sorting = column as Partial<Column_RowSorting<TFeatures, TData>>
  return sorting.getCanSort?.() ? (sorting as Column_RowSorting<TFeatures, TData>) : undefined
}

/**
 * The markup of every list in the portal, for a table made with `useTable`. Headers are the column
 * definitions' strings; an empty header is an actions column (named for screen readers only).
 * Sortable columns (tables with `rowSortingFeature`) get a sort button and `aria-sort`.
 * `pending` dims the rows while a new page or order loads.
 */
export function DataTable<TFeatures extends TableFeatures, TData extends RowData>({ table, pending = false }: { table: ReactTable<TFeatures, TData, unknown>; pending?: boolean }) {
  return (
    <div className="overflow-x-auto" aria-busy={pending}>
      <table className={`w-full text-left text-sm ${pending ? 'opacity-60' : ''}`}>
        <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-300">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const label = String(header.column.columnDef.header ?? '')
                const sorting = sortingOf(header.column)
                const sorted = sorting?.getIsSorted() ?? false
                return (
                  <th key={header.id} scope="col" className={`px-3 py-2 font-medium whitespace-nowrap${classOf(header.column)}`} aria-sort={sorting ? ariaSort(sorted) : undefined}>
                    {!label ? <span className="sr-only">Actions</span> : sorting ? <SortHeader label={label} sorted={sorted} onToggle={sorting.getToggleSortingHandler()} /> : label}
                  </th>
                )
              })}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/50">
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className={`px-3 py-2 align-top whitespace-nowrap${classOf(cell.column)}`}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
