import { defineProject } from 'vitest/config';

// Unit tests of the viewer's model (node environment); the browser tests are in test/viewer (project e2e).
export default defineProject({ test: { name: 'viewer', include: ['src/**/*.test.ts'] } });
