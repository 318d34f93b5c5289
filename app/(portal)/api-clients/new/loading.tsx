export default function Loading() {
  return (
    <div role="status" aria-label="Loading" className="animate-pulse space-y-3">
      <div className="h-8 w-40 rounded bg-slate-200 dark:bg-slate-800" />
      <div className="h-64 rounded-lg bg-slate-200 dark:bg-slate-800" />
    </div>
  )
}
