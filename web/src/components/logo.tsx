const sizes = { sm: 24, md: 32, lg: 48 } as const;

/** The Expe mark (a rounded square with the E) and, unless `markOnly`, the wordmark. */
export function Logo({
  size = 'md',
  markOnly = false,
  inverted = false,
}: {
  size?: keyof typeof sizes;
  markOnly?: boolean;
  inverted?: boolean;
}) {
  const px = sizes[size];
  return (
    <span className="inline-flex items-center gap-2" role="img" aria-label="Expe">
      <svg width={px} height={px} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <defs>
          <linearGradient id="expe-logo-gradient" x1="0" y1="0" x2="1" y2="1">
            <stop offset="0" stopColor="#6366f1" />
            <stop offset="1" stopColor="#4338ca" />
          </linearGradient>
        </defs>
        <rect width="32" height="32" rx="8" fill="url(#expe-logo-gradient)" />
        <path d="M9 8h13v3.5h-9v3h8v3.5h-8v3h9V24H9z" fill="#fff" />
      </svg>
      {!markOnly && (
        <span
          className={`font-semibold tracking-tight ${inverted ? 'text-white' : 'text-slate-900'}`}
          style={{ fontSize: px * 0.7 }}
        >
          Expe
        </span>
      )}
    </span>
  );
}
