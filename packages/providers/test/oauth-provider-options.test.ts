import { GitHubOAuthProvider, GoogleOAuthProvider, OAuth2Provider } from '@agent-tool-protocol/providers';

// The original ATP README constructs providers straight from the environment and with their redirect URI:
// new GoogleOAuthProvider({ clientId: process.env.GOOGLE_CLIENT_ID, …, redirectUri, scopes }).

const request = { state: 'state-1', codeChallenge: 'challenge-1' };

test('the redirectUri given to the constructor is the one the consent URL carries', () => {
  const google = new GoogleOAuthProvider({
    clientId: 'id',
    clientSecret: 'secret',
    redirectUri: 'http://localhost:3333/oauth/callback',
    scopes: ['https://www.googleapis.com/auth/userinfo.email'],
  });
  expect(google.redirectUri).toBe('http://localhost:3333/oauth/callback');
  const url = new URL(google.authorizationUrl(request));
  expect(url.searchParams.get('redirect_uri')).toBe('http://localhost:3333/oauth/callback');
  expect(url.searchParams.get('scope')).toBe('https://www.googleapis.com/auth/userinfo.email');
  // A redirect URI in the request (the server's oauth.redirectUri) takes precedence.
  const server = new URL(
    google.authorizationUrl({ ...request, redirectUri: 'https://atp.example/oauth/callback' }),
  );
  expect(server.searchParams.get('redirect_uri')).toBe('https://atp.example/oauth/callback');
});

test('without any redirect URI the consent URL is refused, never sent with redirect_uri=undefined', () => {
  const github = new GitHubOAuthProvider({ clientId: 'id', clientSecret: 'secret' });
  expect(() => github.authorizationUrl(request)).toThrow(/github OAuth provider has no redirectUri/);
});

test.each([
  [
    'GoogleOAuthProvider',
    (o: { clientId: string | undefined; clientSecret: string | undefined }) => new GoogleOAuthProvider(o),
  ],
  [
    'GitHubOAuthProvider',
    (o: { clientId: string | undefined; clientSecret: string | undefined }) => new GitHubOAuthProvider(o),
  ],
  [
    'OAuth2Provider',
    (o: { clientId: string | undefined; clientSecret: string | undefined }) =>
      new OAuth2Provider({
        ...o,
        name: 'acme',
        authorizeUrl: 'https://a.example/auth',
        tokenUrl: 'https://a.example/token',
      }),
  ],
])('%s takes string | undefined (process.env values) and names what is missing', (what, create) => {
  const unset: string | undefined = process.env.ATP_TEST_SURELY_UNSET_CLIENT_ID;
  expect(() => create({ clientId: unset, clientSecret: 'secret' })).toThrow(
    new RegExp(
      `Invalid ${what} options: clientId: is missing \\(undefined\\): set it, or the environment variable`,
    ),
  );
  expect(() => create({ clientId: 'id', clientSecret: '' })).toThrow(/clientSecret: must not be empty/);
  expect(() => create({ clientId: 'id', clientSecret: 'secret' })).not.toThrow();
});
