/** Admin credentials for tests of the operations server (/metrics and /admin/queues need them). */
export const ADMIN_ENV = { CRIER_ADMIN_USER: 'ops', CRIER_ADMIN_PASSWORD: 'test-only-password' };

/** fetch() options that send ADMIN_ENV's credentials. */
export const asAdmin = {
  headers: {
    authorization: `Basic ${Buffer.from(`${ADMIN_ENV.CRIER_ADMIN_USER}:${ADMIN_ENV.CRIER_ADMIN_PASSWORD}`).toString('base64')}`,
  },
};
