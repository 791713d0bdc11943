// The upstream part of the typed admin client: both legs of a forwarded request, byte for byte.

import type { AdminCall } from '../core/module';

/** Client methods of the upstream module (merged into AdminClient). */
export const upstreamClient = (api: AdminCall) => ({
  /**
   * The upstream leg of a forwarded request (CEIP, relay): `sent` went out, `received` came back.
   * @example const sent = await mock.client.forwardBody(requestId, 'sent');
   */
  forwardBody: (id: number, leg: 'sent' | 'received'): Promise<Buffer> => api.bytes(`/requests/${id}/forward/${leg}`, `request ${id} was not forwarded`),
});
