// The page's ?test=1 hook, declared where the app installs it; seen here from page.evaluate callbacks.
import type {} from '../../../src/app/test-hook';
