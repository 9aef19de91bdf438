/** Which part of the request a validation problem is in; the first segment of its pointer. */
export type RequestPart = 'path' | 'query' | 'body' | 'header';

const escape = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/** A JSON Pointer (RFC 6901) into the request: `/body/device_info/serial_number`, `/query/limit`. */
export function pointerOf(part: RequestPart, path: readonly PropertyKey[]): string {
  return `/${[part, ...path.map(String)].map(escape).join('/')}`;
}

/**
 * The pointer of a dotted repository issue path such as `pain.back` or
 * `[3].glucose_value`; `(root)` style placeholders point at the part itself.
 */
export function pointerOfPath(part: RequestPart, path: string): string {
  if (path === '' || path.startsWith('(')) return pointerOf(part, []);
  const segments = path.replace(/\[(\d+)\]/g, '.$1').split('.').filter((segment) => segment !== '');
  return pointerOf(part, segments);
}
