/** Which next hops a recipient goes to: its route effect, the most specific domain route, the hubs. */
import { hopsFor } from '../src/delivery/route';
import type { DeliveryConfig } from '../src/delivery/delivery-config';

const config: DeliveryConfig = {
  mode: 'smtp',
  hubs: ['10.0.0.10:25'],
  routes: { 'acme.example': ['10.0.1.1:25'], 'research.acme.example': ['10.0.2.5:25'], 'Lab.Research.acme.example': ['10.0.3.3'] },
};
const hostOf = (address: string, via?: string[]): string => {
  const route = hopsFor({ address, state: 'pending', ...(via ? { via } : {}) }, config);
  return route.hops.map((h) => `${h.host}:${h.port}`).join(',');
};

it.each([
  ['bob@acme.example', '10.0.1.1:25'],
  ['ann@research.acme.example', '10.0.2.5:25'],
  ['ann@RESEARCH.acme.example', '10.0.2.5:25'],
  ['cy@deep.research.acme.example', '10.0.2.5:25'],
  ['lee@lab.research.acme.example', '10.0.3.3:25'],
  ['x@hr.acme.example', '10.0.1.1:25'],
  ['x@notacme.example', '10.0.0.10:25'],
])('sends %s to %s, the most specific route, in any order of the routes', (address, hop) => {
  expect(hostOf(address)).toBe(hop);
});

it('lets a route effect win over every domain route', () => {
  expect(hostOf('ann@research.acme.example', ['127.0.0.1:2526'])).toBe('127.0.0.1:2526');
});
