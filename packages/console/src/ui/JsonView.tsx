/** A JSON value, pretty-printed as text in a scrollable block reachable by keyboard. */
export function JsonView({ value, label }: { value: unknown; label?: string }) {
  const text = value === undefined ? '' : JSON.stringify(value, null, 2);
  return (
    <pre className="json-view mono" tabIndex={0} role={label ? 'region' : undefined} aria-label={label}>
      {text}
    </pre>
  );
}
