export { createTestDatabase, useTestDatabase, type TestDatabase } from './test-database.js';
export { withAdminClient, withDatabase } from './admin-client.js';
export { findFreePort, startEmbeddedServer, waitForConnections, type EmbeddedServer } from './embedded-server.js';
export { startReplicatedCluster, type ReplicatedCluster } from './replicated-cluster.js';
export { findPgBouncer, startPgBouncer, type PgBouncerOptions, type PgBouncerProcess } from './pgbouncer-process.js';
export { embeddedBinaryPath, postgresProcessIdentity } from './postgres-binaries.js';
