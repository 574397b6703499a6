import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'nem', include: ['src/**/*.test.ts'] },
});
