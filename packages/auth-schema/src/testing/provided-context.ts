// Brings the harness's `ProvidedContext` augmentation of vitest into this package's
// typecheck (the harness reads it with `inject()`).
import type {} from '@strata/testkit/global-setup';
