import { defineConfig } from 'vitest/config';

// One vitest project per package (each has its own vitest.config.ts), plus the cross-package tests in test/.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'test'],
  },
});
