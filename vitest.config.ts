import { defineConfig } from 'vitest/config';

// Unit tests: Node, real tfjs (cpu/wasm backends), real jieba-wasm. No mocks.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
