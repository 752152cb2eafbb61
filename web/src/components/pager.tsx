import { ChevronLeft, ChevronRight } from 'lucide-react';
import { Button } from './ui';

export function Pager({
  page,
  canGoBack,
  hasMore,
  onBack,
  onNext,
}: {
  page: number;
  canGoBack: boolean;
  hasMore: boolean;
  onBack: () => void;
  onNext: () => void;
}) {
  if (!canGoBack && !hasMore) return null;
  return (
    <nav aria-label="Pages" className="mt-4 flex items-center justify-between gap-2">
      <Button variant="secondary" disabled={!canGoBack} onClick={onBack}>
        <ChevronLeft className="h-4 w-4" aria-hidden="true" /> Newer
      </Button>
      <span className="text-sm text-slate-500">Page {page}</span>
      <Button variant="secondary" disabled={!hasMore} onClick={onNext}>
        Older <ChevronRight className="h-4 w-4" aria-hidden="true" />
      </Button>
    </nav>
  );
}
