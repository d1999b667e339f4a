/** The seedling mark (inline SVG: nothing is loaded from outside). */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <rect width="64" height="64" rx="14" fill="#1f7a4d" />
      <path d="M32 54V30" stroke="#fff" strokeWidth="5" strokeLinecap="round" />
      <path d="M32 32c0-10 7-17 18-17 0 11-7 17-18 17z" fill="#b7eb8f" />
      <path d="M32 38c0-9-6-15-16-15 0 10 6 15 16 15z" fill="#fff" />
    </svg>
  );
}
