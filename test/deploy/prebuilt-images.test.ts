/** Stack config `images`: prebuilt images are accepted only for known services, pinned, and built from this code. */
import { prebuiltImageProblems } from '../../src/deploy/prebuilt-images';

const expected = {
  'order-service': 'r.example/shop/order-service:sha256-1111111111111111',
  'user-service': 'r.example/shop/user-service:sha256-2222222222222222',
};
const digest = `sha256:${'a'.repeat(64)}`;

test('a pushed reference of the current code is accepted, from any registry', () => {
  expect(prebuiltImageProblems({ 'order-service': `127.0.0.1:5000/x/order-service:sha256-1111111111111111@${digest}` }, expected)).toEqual([]);
});

test('an unknown service, a reference without digest and an image of other code are each named with their key', () => {
  const problems = prebuiltImageProblems(
    {
      'inventory-service': `r.example/shop/inventory-service:sha256-1@${digest}`,
      'user-service': 'r.example/shop/user-service:sha256-2222222222222222',
      'order-service': `r.example/shop/order-service:sha256-9999999999999999@${digest}`,
    },
    expected,
  );
  expect(problems).toEqual([
    { key: 'images.inventory-service', message: 'not a service (the services are order-service, user-service)' },
    { key: 'images.user-service', message: 'expected <repository>:<tag>@sha256:<digest> (got "r.example/shop/user-service:sha256-2222222222222222")' },
    { key: 'images.order-service', message: "tag sha256-9999999999999999 was built from other code than this checkout's (sha256-1111111111111111)" },
  ]);
});
