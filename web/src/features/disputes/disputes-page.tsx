import type { DisputeResource } from '@expe/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { PagedList } from '../../components/data-table';
import { Empty } from '../../components/states';
import { useToast } from '../../components/toast';
import { Card, FilterField, PageHeader, StatusBadge } from '../../components/ui';
import { closeDispute, disputeKeys, listDisputes, submitEvidence } from './api';
import { EvidenceForm } from './components/evidence-form';
import { RequireKey } from '../merchants';
import { formatDate, formatMoney } from '../../lib/format';
import type { SessionKey } from '../../lib/merchant-keys';
import { usePager } from '../../lib/use-pager';

function DisputeRow({
  dispute,
  apiKey,
  onChanged,
}: {
  dispute: DisputeResource;
  apiKey: SessionKey;
  onChanged: () => Promise<unknown>;
}) {
  const toast = useToast();
  const announce = (updated: DisputeResource) =>
    toast.success(
      updated.status === 'needs_response'
        ? 'Evidence saved; the dispute is still open'
        : `Dispute ${updated.status}`,
    );
  return (
    <li className="space-y-3 py-4" data-dispute-id={dispute.id}>
      <div className="flex flex-wrap items-center gap-3">
        <span className="text-lg font-semibold tabular-nums">
          {formatMoney(dispute.amount, dispute.currency)}
        </span>
        <StatusBadge status={dispute.status} />
        <span className="text-sm text-slate-600">{dispute.reason}</span>
        <Link to={`/payments/${dispute.payment}`} className="font-mono text-xs text-brand-700">
          {dispute.payment}
        </Link>
        <span className="ml-auto text-sm text-slate-600">
          {dispute.status === 'needs_response'
            ? `Evidence due ${formatDate(dispute.evidence_due_by)}`
            : `Opened ${formatDate(dispute.created)}`}
        </span>
      </div>
      {dispute.evidence.uncategorized_text && (
        <p className="text-sm text-slate-700">
          Evidence: <q>{dispute.evidence.uncategorized_text}</q>
        </p>
      )}
      {dispute.status === 'needs_response' && (
        <EvidenceForm
          disputeId={dispute.id}
          disputed={formatMoney(dispute.amount, dispute.currency)}
          onSubmit={async (input) => {
            announce(await submitEvidence(apiKey.secret, dispute.id, input));
            await onChanged();
          }}
          onAccept={async () => {
            announce(await closeDispute(apiKey.secret, dispute.id));
            await onChanged();
          }}
        />
      )}
    </li>
  );
}

function DisputesList({ apiKey }: { apiKey: SessionKey }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('');
  const pager = usePager(status + apiKey.id);
  const disputes = useQuery({
    queryKey: disputeKeys.list(apiKey.id, status, pager.startingAfter),
    queryFn: () => listDisputes(apiKey.secret, status, pager.startingAfter),
  });
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['disputes', apiKey.id] }),
      queryClient.invalidateQueries({ queryKey: ['balance', apiKey.id] }),
    ]);
  return (
    <Card
      title="Disputes"
      actions={
        <FilterField
          label="Status"
          name="dispute-status"
          value={status}
          onChange={setStatus}
          any="Any status"
          options={['needs_response', 'won', 'lost']}
        />
      }
    >
      <PagedList
        query={disputes}
        pager={pager}
        empty={
          <Empty title="No disputes">
            Pay a test payment with the card 4000 0000 0000 0259 to open one.
          </Empty>
        }
      >
        {(rows) => (
          <ul className="divide-y divide-slate-100" data-testid="disputes">
            {rows.map((dispute) => (
              <DisputeRow key={dispute.id} dispute={dispute} apiKey={apiKey} onChanged={refresh} />
            ))}
          </ul>
        )}
      </PagedList>
    </Card>
  );
}

export function DisputesPage() {
  return (
    <div className="space-y-6">
      <PageHeader
        title="Disputes"
        description="Payments a cardholder disputed. Answer with evidence before the deadline, or accept the loss."
      />
      <RequireKey picker>{(key) => <DisputesList apiKey={key} />}</RequireKey>
    </div>
  );
}
