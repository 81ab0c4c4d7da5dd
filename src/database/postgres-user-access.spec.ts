import { DirectoryStep, planTraversal } from './postgres-user-access';

const PROJECT = '/tmp/tmp.Ab12/venues';

/** The steps down to `path`, deepest first (as stepsDownTo lists them), with the modes given by path. */
function steps(path: string, modes: Record<string, number>): DirectoryStep[] {
  const parts = path.split('/').filter(Boolean);
  const paths = parts.map((_, index) => `/${parts.slice(0, index + 1).join('/')}`).reverse();
  return [...paths, '/'].map((step) => ({ path: step, mode: modes[step] ?? 0o40755 }));
}

describe('planTraversal (what the postgres user needs to reach a path)', () => {
  it('changes nothing when every directory is traversable', () => {
    expect(planTraversal(steps(`${PROJECT}/.data`, {}), PROJECT)).toEqual({ grant: [] });
  });

  it('grants the traverse bit to the directories inside the project that lack it, the project itself included', () => {
    const plan = planTraversal(steps(`${PROJECT}/.data`, { [PROJECT]: 0o40700, [`${PROJECT}/.data`]: 0o40750 }), PROJECT);
    expect(plan).toEqual({ grant: [`${PROJECT}/.data`, PROJECT] });
  });

  it('changes nothing and names the blocking directory when one outside the project cannot be traversed (a 0700 mktemp parent)', () => {
    const plan = planTraversal(steps(`${PROJECT}/node_modules`, { '/tmp/tmp.Ab12': 0o40700, [`${PROJECT}/node_modules`]: 0o40700 }), PROJECT);
    expect(plan).toEqual({ grant: [], blockedAt: '/tmp/tmp.Ab12' });
  });

  it('treats a sibling whose name starts with the project directory as outside it', () => {
    const sibling = `${PROJECT}-data`;
    expect(planTraversal(steps(`${sibling}/pg`, { [sibling]: 0o40700 }), PROJECT)).toEqual({ grant: [], blockedAt: sibling });
  });

  it('counts only the traverse bit for others: read access is not needed', () => {
    expect(planTraversal(steps('/srv/data', { '/srv': 0o40711 }), PROJECT)).toEqual({ grant: [] });
  });
});
