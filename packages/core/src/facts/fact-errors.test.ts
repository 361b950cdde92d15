import { factErrors } from './fact-errors';

it('names each fact that failed, and leaves out those that were had', () => {
  expect(factErrors({
    virus: { error: 'clamd 127.0.0.1:3310: no answer within 3000 ms' },
    spam: { score: 1, symbols: [] },
    dnsbl: { 'bl.example': [], 'sf.example': { error: 'DNSBL sf.example: queryA ESERVFAIL' } },
    greylist: { 'bob@acme.example': 'pending', 'eve@acme.example': { error: 'redis 127.0.0.1:6379: no answer within 2000 ms' } },
  })).toEqual({
    virus: 'clamd 127.0.0.1:3310: no answer within 3000 ms',
    'dnsbl sf.example': 'DNSBL sf.example: queryA ESERVFAIL',
    'greylist eve@acme.example': 'redis 127.0.0.1:6379: no answer within 2000 ms',
  });
  expect(factErrors({ virus: { names: ['Eicar'] }, dnsbl: { 'bl.example': ['127.0.0.2'] } })).toEqual({});
});
