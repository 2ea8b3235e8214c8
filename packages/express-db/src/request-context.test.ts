import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type StrataDb } from '@strata/db-core';
import { useTestDatabase } from '@strata/testkit';
import { attachDb, currentDb, currentRequest, currentTenantId, endRequestScope, getDb, TenantScopeError } from './index.js';
import { startHttpTestServer } from './testing/http-test-server.js';

const database = useTestDatabase();
let db: StrataDb<unknown>;

beforeAll(() => {
  db = createDb({ connectionString: database.appUrl, max: 1 });
});

afterAll(async () => {
  await db?.close();
});

describe('attachDb and request access', () => {
  it('exposes the attached database as req.db, getDb(req) and currentDb(), also inside a mounted sub-app', async () => {
    const app = express();
    attachDb(app, db);
    const admin = express();
    admin.get('/check', async (req, res) => {
      res.json({
        same: req.db === db && getDb(req) === db && currentDb() === db,
        request: currentRequest() === req,
        tenant: currentTenantId() ?? null,
      });
    });
    app.use('/admin', admin);
    const server = await startHttpTestServer(app);
    try {
      expect(await (await fetch(`${server.baseUrl}/admin/check`)).json()).toEqual({ same: true, request: true, tenant: null });
    } finally {
      await server.close();
    }
  });

  it('refuses a second attachDb on the same app', () => {
    const app = express();
    attachDb(app, db);
    expect(() => attachDb(app, db)).toThrow(TenantScopeError);
  });

  it('throws TenantScopeError outside a request or without a database', async () => {
    expect(() => currentDb()).toThrow(TenantScopeError);
    expect(currentTenantId()).toBeUndefined();
    const app = express();
    let thrown: unknown;
    let ended: unknown;
    app.get('/', async (req, res) => {
      try {
        getDb(req);
      } catch (error) {
        thrown = error;
      }
      ended = await endRequestScope(req).catch((error: unknown) => error);
      res.end();
    });
    const server = await startHttpTestServer(app);
    try {
      await fetch(server.baseUrl);
    } finally {
      await server.close();
    }
    expect(thrown).toBeInstanceOf(TenantScopeError);
    expect(ended).toBeInstanceOf(TenantScopeError);
  });
});
