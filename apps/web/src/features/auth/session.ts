import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, answer, CLIENT } from '../../api/client';

/** Who is signed in, as GET /auth/me says (null when nobody is). */
export interface Me {
  personId: string;
  name: string;
  email: string;
  language: string;
  role:
    'case-officer' | 'committee-member' | 'state-focal-point' | 'provider' | 'auditor' | 'admin';
  region?: string;
  state?: string;
  provider?: { id: string; kind: string; name: string; state?: string };
}

export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Me | null> =>
      (await answer<{ person: Me | null }>(api.GET('/auth/session'))).person,
    staleTime: 60_000,
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return async () => {
    await answer(api.DELETE('/auth/session', { params: CLIENT }));
    client.clear();
    client.setQueryData(['me'], null);
  };
}

/** Where each role starts: the screen of its daily work. */
export const HOME: Record<Me['role'], string> = {
  'case-officer': '/dashboard',
  'committee-member': '/screening',
  'state-focal-point': '/cases',
  provider: '/offers',
  auditor: '/audit',
  admin: '/people',
};
