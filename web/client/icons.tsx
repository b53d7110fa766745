/**
 * Small inline SVG icons for the toolbar and cells (no icon font, nothing fetched).
 *
 * @module
 */

function Icon({ d, fill = false }: { d: string; fill?: boolean }) {
  return (
    <svg
      class="icon"
      viewBox="0 0 16 16"
      width="14"
      height="14"
      aria-hidden="true"
      fill={fill ? "currentColor" : "none"}
      stroke={fill ? "none" : "currentColor"}
      stroke-width="1.6"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      <path d={d} />
    </svg>
  );
}

/** ▶ */
export const PlayIcon = () => (
  <Icon fill d="M4.5 2.8v10.4a.6.6 0 0 0 .9.5l8-5.2a.6.6 0 0 0 0-1L5.4 2.3a.6.6 0 0 0-.9.5z" />
);
/** ▶▶ */
export const RunAllIcon = () => (
  <Icon
    fill
    d="M1.5 3.3v9.4a.5.5 0 0 0 .8.4L8 8.4a.5.5 0 0 0 0-.8L2.3 2.9a.5.5 0 0 0-.8.4zm7 0v9.4a.5.5 0 0 0 .8.4L15 8.4a.5.5 0 0 0 0-.8L9.3 2.9a.5.5 0 0 0-.8.4z"
  />
);
/** Run the cells above: an arrow up to a bar. */
export const RunAboveIcon = () => <Icon d="M3 2.5h10M8 13.5V6M4.8 9.2 8 6l3.2 3.2" />;
/** ■ */
export const StopIcon = () => (
  <Icon fill d="M4 3h8a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1z" />
);
/** ↻ */
export const RestartIcon = () => <Icon d="M13 8a5 5 0 1 1-1.5-3.6M13 2.5v3h-3" />;
/** ↻▶ */
export const RestartRunIcon = () => (
  <Icon d="M12.5 7A4.8 4.8 0 1 0 8 12.8M12.8 2.5v3h-3M10 9.5v5l4-2.5z" />
);
