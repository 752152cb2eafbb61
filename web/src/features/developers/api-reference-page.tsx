import { useQuery } from '@tanstack/react-query';
import { ExternalLink } from 'lucide-react';
import { useMemo, useState } from 'react';
import { QueryState } from '../../components/states';
import { Card, PageHeader, TextField } from '../../components/ui';
import { ConsoleNav } from '../console';
import { api } from '../../lib/api';
import { useSession } from '../../lib/use-session';

interface OpenApiDocument {
  info: { title: string; version: string };
  paths: Record<
    string,
    Record<string, { summary?: string; tags?: string[]; security?: Record<string, unknown>[] }>
  >;
}

const methodTones: Record<string, string> = {
  get: 'bg-sky-50 text-sky-700',
  post: 'bg-emerald-50 text-emerald-700',
  delete: 'bg-rose-50 text-rose-700',
  put: 'bg-amber-50 text-amber-800',
  patch: 'bg-amber-50 text-amber-800',
};

export function ApiReferencePage() {
  const session = useSession();
  const [filter, setFilter] = useState('');
  const document = useQuery({
    queryKey: ['openapi'],
    queryFn: () => api<OpenApiDocument>('/openapi.json', { auth: 'none' }),
    staleTime: Infinity,
  });
  const groups = useMemo(() => {
    const byTag = new Map<string, { method: string; path: string; summary: string }[]>();
    for (const [path, operations] of Object.entries(document.data?.paths ?? {})) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!methodTones[method]) continue;
        const text = `${method} ${path} ${operation.summary ?? ''}`.toLowerCase();
        if (filter && !text.includes(filter.toLowerCase())) continue;
        const tag = operation.tags?.[0] ?? 'Other';
        byTag.set(tag, [
          ...(byTag.get(tag) ?? []),
          { method, path, summary: operation.summary ?? '' },
        ]);
      }
    }
    return [...byTag.entries()];
  }, [document.data, filter]);

  return (
    <div>
      <PageHeader
        title="API reference"
        description="Every endpoint, from the OpenAPI document the API validates requests with."
        actions={
          <a
            href="/docs"
            className="inline-flex items-center gap-1 rounded-lg bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700"
          >
            Interactive docs <ExternalLink className="h-4 w-4" aria-hidden="true" />
          </a>
        }
      />
      {session.status === 'signed_in' && session.user.role === 'merchant' && <ConsoleNav />}
      <div className="mb-4 max-w-sm">
        <TextField
          label="Filter endpoints"
          name="filter"
          type="search"
          placeholder="payments, refund, POST…"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
      </div>
      <QueryState query={document}>
        {(doc) => (
          <div className="space-y-6" data-testid="api-reference">
            <p className="text-sm text-slate-500">
              {doc.info.title} · version {doc.info.version} ·{' '}
              <a className="text-brand-700 underline" href="/openapi.json">
                openapi.json
              </a>
            </p>
            {groups.length === 0 && <p className="text-sm text-slate-500">No endpoint matches.</p>}
            {groups.map(([tag, operations]) => (
              <Card key={tag} title={tag}>
                <ul className="divide-y divide-slate-100">
                  {operations.map((operation) => (
                    <li
                      key={operation.method + operation.path}
                      className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm"
                    >
                      <span
                        className={`w-16 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold uppercase ${methodTones[operation.method]}`}
                      >
                        {operation.method}
                      </span>
                      <code className="break-all font-mono text-sm">{operation.path}</code>
                      <span className="w-full text-slate-600 sm:ml-auto sm:w-auto">
                        {operation.summary}
                      </span>
                    </li>
                  ))}
                </ul>
              </Card>
            ))}
          </div>
        )}
      </QueryState>
    </div>
  );
}
