export const TEST_MASTER_KEY = 'a1'.repeat(32);
export const DEMO_PASSWORD = 'Miaopu#2026demo';
