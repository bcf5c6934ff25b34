// `concordat retention queue`: the ended cases due for a retention decision, for a manager who scripts.
// Goes through the dispatcher like `call retention.queue`; decisions are made with `concordat call
// retention.decide` or on the Retention review screen.
import { dispatch } from '../../dispatch/dispatcher.js';
import type { Command } from '../command.js';
import { withSession } from '../context.js';
import { unwrap } from '../output.js';

export const retentionQueue: Command = {
  name: 'retention queue',
  usage: '[DATE] --justification TEXT --user NAME',
  summary: 'Lists the ended cases due for retention review today (or on DATE, YYYY-MM-DD), each with why and who follows it.',
  details:
    'The queue names people, so reading it is a consultation (DPA 2018 s62): say why with --justification. Managers only. Decide with `concordat call retention.decide`.',
  options: ['justification'],
  args: { min: 0, max: 1 },
  run: (ctx) =>
    withSession(ctx, async (host) => {
      const input = ctx.args[0] === undefined ? {} : { asOf: ctx.args[0] };
      const justification = ctx.options.justification;
      const queue = unwrap(await dispatch(host, 'retention.queue', input, justification === undefined ? {} : { justification }));
      ctx.out.data(queue);
      for (const item of queue.items) {
        ctx.out.line(`${item.reference}  due ${item.dueOn}  ${item.basis.replace('_', ' ')}: ${item.reason}`);
        for (const p of item.people) {
          ctx.out.line(
            `    ${p.name}: ${p.follows ? 'follows this case' : `stays: also on ${p.alsoOn.map((c) => c.reference).join(', ')}`}`,
          );
        }
      }
      ctx.out.line(`${queue.items.length} case${queue.items.length === 1 ? '' : 's'} due for review on ${queue.asOf}.`);
    }),
};
