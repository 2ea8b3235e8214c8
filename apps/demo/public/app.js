// The demo page: plain DOM and fetch, no build step. Every value from the server is put in
// the page with textContent, never innerHTML.
const state = { user: null, csrfToken: '', organizations: [], selected: null };
const byId = (id) => document.getElementById(id);

function show(id, visible) {
  byId(id).hidden = !visible;
}

function message(id, text) {
  const element = byId(id);
  element.textContent = text ?? '';
  element.hidden = !text;
}

async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && state.csrfToken) headers['x-csrf-token'] = state.csrfToken;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(data?.detail ?? `Request failed (${response.status})`);
    error.status = response.status;
    throw error;
  }
  return data;
}

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function button(text, onClick, attributes = {}) {
  const node = element('button', text, { type: 'button', class: 'link', ...attributes });
  node.addEventListener('click', () => run(onClick));
  return node;
}

async function run(action) {
  message('error', '');
  try {
    await action();
  } catch (error) {
    message('error', error.message);
  }
}

function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

function onSubmit(id, action) {
  byId(id).addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    run(async () => {
      await action(formValues(form));
      form.reset();
    });
  });
}

async function loadSession() {
  try {
    const session = await api('GET', '/api/session');
    state.user = session.user;
    state.csrfToken = session.csrfToken;
  } catch (error) {
    if (error.status !== 401) throw error;
    state.user = null;
    state.csrfToken = '';
  }
}

async function render() {
  const signedIn = Boolean(state.user);
  show('who', signedIn);
  show('signed-out', !signedIn && byId('reset-panel').hidden);
  show('signed-in', signedIn);
  if (!signedIn) return;
  byId('who').querySelector('[data-testid=current-user]').textContent = `${state.user.name ?? ''} <${state.user.email}>`;
  show('verify-banner', !state.user.emailVerified);
  await Promise.all([renderMyInvitations(), renderOrganizations()]);
}

async function renderMyInvitations() {
  const invitations = await api('GET', '/api/invitations');
  const list = byId('my-invitations');
  list.replaceChildren(
    ...invitations.map((invitation) => {
      const item = element('li', `${invitation.organization} (${invitation.role}) `, { 'data-testid': 'my-invitation' });
      item.append(
        button('Accept', async () => {
          await api('POST', `/api/invitations/${invitation.id}/accept`, {});
          message('notice', `You joined ${invitation.organization}`);
          await render();
        }),
        button('Decline', async () => {
          await api('POST', `/api/invitations/${invitation.id}/reject`, {});
          await render();
        }),
      );
      return item;
    }),
  );
  show('my-invitations-panel', invitations.length > 0);
}

async function renderOrganizations() {
  state.organizations = await api('GET', '/api/organizations');
  if (state.selected && !state.organizations.some((organization) => organization.id === state.selected)) state.selected = null;
  state.selected ??= state.organizations[0]?.id ?? null;
  byId('organizations').replaceChildren(
    ...state.organizations.map((organization) => {
      const item = element('li', '', { 'data-testid': 'organization', class: organization.id === state.selected ? 'selected' : '' });
      item.append(
        button(organization.name, async () => {
          state.selected = organization.id;
          await renderOrganizations();
        }),
        element('span', ` ${organization.role}`, { class: 'muted' }),
      );
      return item;
    }),
  );
  await renderOrganization();
}

async function renderOrganization() {
  const organization = state.organizations.find((candidate) => candidate.id === state.selected);
  show('organization-panel', Boolean(organization));
  if (!organization) return;
  byId('organization-title').textContent = organization.name;
  const base = `/api/organizations/${organization.id}`;
  const canManage = organization.role === 'owner' || organization.role === 'admin';
  const [projects, members, teams, invitations] = await Promise.all([
    api('GET', `${base}/projects`),
    api('GET', `${base}/members`),
    api('GET', `${base}/teams`),
    canManage ? api('GET', `${base}/invitations`) : Promise.resolve([]),
  ]);
  byId('projects').replaceChildren(
    ...projects.map((project) => {
      const item = element('li', `${project.name} `, { 'data-testid': 'project' });
      if (project.description) item.append(element('span', project.description, { class: 'muted' }));
      if (canManage) {
        item.append(
          button('Delete', async () => {
            await api('DELETE', `${base}/projects/${project.id}`);
            await renderOrganization();
          }),
        );
      }
      return item;
    }),
  );
  byId('members').replaceChildren(...members.map((member) => element('li', `${member.email} — ${member.role}`, { 'data-testid': 'member' })));
  byId('pending-invitations').replaceChildren(
    ...invitations.map((invitation) => element('li', `invited: ${invitation.email} (${invitation.role})`, { class: 'muted', 'data-testid': 'pending-invitation' })),
  );
  show('invitation-form', canManage);
  show('team-form', canManage);
  byId('teams').replaceChildren(
    ...teams.map((team) => {
      const item = element('li', `${team.name}: ${team.members.map((member) => member.email).join(', ') || 'no members'} `, { 'data-testid': 'team' });
      if (canManage) {
        const select = element('select', undefined, { 'aria-label': `Add a member to ${team.name}` });
        for (const member of members.filter((candidate) => !team.members.some((existing) => existing.userId === candidate.userId))) {
          select.append(element('option', member.email, { value: member.userId }));
        }
        if (select.options.length > 0) {
          item.append(
            select,
            button('Add to team', async () => {
              await api('POST', `${base}/teams/${team.id}/members`, { userId: select.value });
              await renderOrganization();
            }),
          );
        }
      }
      return item;
    }),
  );
}

onSubmit('sign-up-form', async (values) => {
  await api('POST', '/api/sign-up', { email: values.email, password: values.password, ...(values.name ? { name: values.name } : {}) });
  message('notice', 'Account created. The verification link is in the server log.');
  await loadSession();
  await render();
});

onSubmit('sign-in-form', async (values) => {
  await api('POST', '/api/sign-in', { email: values.email, password: values.password });
  await loadSession();
  await render();
});

onSubmit('reset-request-form', async (values) => {
  await api('POST', '/api/password-reset/request', { email: values.email });
  message('notice', 'If this address has an account, a reset link is in the server log.');
});

onSubmit('reset-confirm-form', async (values) => {
  const token = new URLSearchParams(location.search).get('reset');
  await api('POST', '/api/password-reset/confirm', { token, password: values.password });
  history.replaceState(null, '', '/');
  show('reset-panel', false);
  message('notice', 'Password changed. Sign in with the new one.');
  await loadSession();
  await render();
});

onSubmit('organization-form', async (values) => {
  const organization = await api('POST', '/api/organizations', { name: values.name, slug: values.slug });
  state.selected = organization.id;
  await renderOrganizations();
});

onSubmit('project-form', async (values) => {
  await api('POST', `/api/organizations/${state.selected}/projects`, { name: values.name, description: values.description ?? '' });
  await renderOrganization();
});

onSubmit('invitation-form', async (values) => {
  await api('POST', `/api/organizations/${state.selected}/invitations`, { email: values.email, role: values.role });
  message('notice', `Invitation sent to ${values.email}`);
  await renderOrganization();
});

onSubmit('team-form', async (values) => {
  await api('POST', `/api/organizations/${state.selected}/teams`, { name: values.name });
  await renderOrganization();
});

byId('sign-out').addEventListener('click', () =>
  run(async () => {
    await api('POST', '/api/sign-out', {});
    state.user = null;
    state.csrfToken = '';
    state.selected = null;
    await render();
  }),
);

byId('resend-verification').addEventListener('click', () =>
  run(async () => {
    await api('POST', '/api/email-verification', {});
    message('notice', 'A new verification link is in the server log.');
  }),
);

const notices = {
  'email-verified': 'Your email address is verified.',
  'verification-failed': 'This verification link is invalid or has expired.',
};
const parameters = new URLSearchParams(location.search);
if (notices[parameters.get('notice')]) {
  message('notice', notices[parameters.get('notice')]);
  history.replaceState(null, '', '/');
}
show('reset-panel', parameters.has('reset'));

run(async () => {
  await loadSession();
  await render();
  document.body.dataset.ready = 'true';
});
