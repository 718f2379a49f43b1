import { Migration } from '@mikro-orm/migrations';

/**
 * The reports: the tenant's time zone (the reports' days), and one row per conversation
 * episode with its figures (report-episode.entity.ts), kept by PostgreSQL as lines are written.
 *
 * Why triggers: the figures depend on lines written by five places (the inbound batch, the
 * dispatcher, hand moves, replies, surveys), some in plain SQL; folding each line into its
 * episode where it is stored keeps every writer right without each one knowing the reports,
 * and turns a 90-day report over a million conversations into one indexed range scan
 * instead of a walk over every event and message of the period.
 *
 * How a line folds in (the latest episode of the conversation, by opening time):
 * - an event that opens a conversation (a queue entry or a follow-up reopen, when none is
 *   open) starts an episode; the next event after its queue entry is that entry's outcome
 *   (as /api/queue/stats judges it); a move to an operator sets the operator; a close
 *   closes it, "while waiting" when the event before it was a queue entry;
 * - an operator's reply from Omni is the first reply (any status, as the queue figures);
 *   a reply that did not fail answers the visitor's waiting messages;
 * - a visitor's message renews the reply window; unless it asks for nothing (a reaction, a
 *   survey answer) it waits for an answer; a window that closed (24 h after the visitor's
 *   last message; 7 days with the page's human agent feature) while one waited is counted;
 * - the survey asked for and answered on the conversation belongs to its latest closed episode.
 */
export class Migration20261203171000_reports extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "tenant" add column "timezone" varchar(64) not null default 'UTC';`);
    this.addSql(
      `create table "report_episode" ("id" uuid not null, "tenant_id" uuid not null, "conversation_id" uuid not null, "page_id" uuid not null, "department_id" uuid null, "operator_id" uuid null, "opened_at" timestamptz not null, "is_queued" boolean not null, "entry_next_type" varchar(16) null, "entry_next_at" timestamptz null, "first_assigned_at" timestamptz null, "first_reply_at" timestamptz null, "last_event_type" varchar(16) not null, "closed_at" timestamptz null, "closed_while_waiting" boolean not null default false, "last_visitor_at" timestamptz null, "unanswered_since" timestamptz null, "window_expired_unanswered" boolean not null default false, "csat_requested_at" timestamptz null, "csat_score" smallint null, "csat_answered_at" timestamptz null, constraint "report_episode_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "report_episode_tenant_opened_at_index" on "report_episode" ("tenant_id", "opened_at");`,
    );
    this.addSql(
      `create index "report_episode_conversation_opened_at_index" on "report_episode" ("conversation_id", "opened_at");`,
    );
    this.addSql(
      `alter table "report_episode" add constraint "report_episode_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "report_episode" add constraint "report_episode_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "report_episode" add constraint "report_episode_page_id_foreign" foreign key ("page_id") references "facebook_page" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "report_episode" add constraint "report_episode_department_id_foreign" foreign key ("department_id") references "department" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "report_episode" add constraint "report_episode_operator_id_foreign" foreign key ("operator_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    // Messenger's reply window after a visitor's message on this page.
    this.addSql(`create function report_reply_window(page uuid) returns interval
      language sql stable as $$
        select case when p.human_agent_enabled then interval '7 days' else interval '24 hours' end
        from facebook_page p where p.id = page
      $$;`);

    this.addSql(`create function report_episode_apply_event(e conversation_event) returns void
      language plpgsql as $$
      declare
        latest report_episode%rowtype;
        is_move_to_operator boolean := e.type in ('assigned', 'taken', 'transferred', 'reopened');
        reply_window interval;
      begin
        select * into latest from report_episode where conversation_id = e.conversation_id
          order by opened_at desc, id desc limit 1 for update;
        if latest.id is null or latest.closed_at is not null then
          if e.type not in ('queued', 'requeued', 'reopened') then return; end if;
          reply_window := coalesce(report_reply_window(
            (select c.page_id from conversation c where c.id = e.conversation_id)), interval '24 hours');
          -- The new episode takes over the reply window; the closed one settles now.
          if latest.id is not null and latest.unanswered_since is not null then
            update report_episode set unanswered_since = null,
              window_expired_unanswered = window_expired_unanswered
                or last_visitor_at + reply_window <= e.occurred_at
            where id = latest.id;
          end if;
          insert into report_episode (id, tenant_id, conversation_id, page_id, department_id,
            operator_id, opened_at, is_queued, first_assigned_at, last_event_type,
            last_visitor_at, unanswered_since)
          select e.id, e.tenant_id, e.conversation_id, c.page_id, e.department_id,
            case when e.type = 'reopened' then e.operator_id end, e.occurred_at,
            e.type <> 'reopened', case when e.type = 'reopened' then e.occurred_at end, e.type,
            latest.last_visitor_at,
            case when latest.last_visitor_at + reply_window > e.occurred_at
              then latest.unanswered_since end
          from conversation c where c.id = e.conversation_id;
          return;
        end if;
        update report_episode set
          entry_next_type = case when is_queued and entry_next_type is null then e.type
            else entry_next_type end,
          entry_next_at = case when is_queued and entry_next_type is null then e.occurred_at
            else entry_next_at end,
          first_assigned_at = coalesce(first_assigned_at,
            case when is_move_to_operator then e.occurred_at end),
          operator_id = case
            when is_move_to_operator and e.operator_id is not null then e.operator_id
            when e.type = 'closed' then coalesce(operator_id, e.operator_id)
            else operator_id end,
          closed_at = case when e.type = 'closed' then e.occurred_at end,
          closed_while_waiting = closed_while_waiting
            or (e.type = 'closed' and last_event_type in ('queued', 'requeued')),
          last_event_type = e.type
        where id = latest.id;
      end $$;`);

    this.addSql(`create function report_episode_apply_message(m message) returns void
      language plpgsql as $$
      declare
        latest report_episode%rowtype;
        reply_window interval;
        has_expired boolean;
        still_waiting timestamptz;
      begin
        select * into latest from report_episode where conversation_id = m.conversation_id
          order by opened_at desc, id desc limit 1 for update;
        if latest.id is null then return; end if;
        reply_window := coalesce(report_reply_window(latest.page_id), interval '24 hours');
        has_expired := latest.unanswered_since is not null
          and latest.last_visitor_at + reply_window <= m.occurred_at;
        still_waiting := case when has_expired then null else latest.unanswered_since end;
        if m.direction = 'in' then
          update report_episode set
            window_expired_unanswered = window_expired_unanswered or has_expired,
            unanswered_since = case
              when m.kind = 'reaction' or coalesce(m.details->>'quickReplyPayload', '') like 'CSAT:%'
                then still_waiting
              else coalesce(still_waiting, m.occurred_at) end,
            last_visitor_at = greatest(last_visitor_at, m.occurred_at)
          where id = latest.id;
        else
          update report_episode set
            first_reply_at = coalesce(first_reply_at, case
              when m.source = 'operator' and m.occurred_at >= opened_at then m.occurred_at end),
            window_expired_unanswered = window_expired_unanswered or has_expired,
            unanswered_since = case when m.status is distinct from 'failed' then null
              else still_waiting end
          where id = latest.id;
        end if;
      end $$;`);

    // A reply that failed answered nobody: the oldest visitor message after the last reply
    // that went through waits again.
    this.addSql(`create function report_episode_reply_failed(m message) returns void
      language plpgsql as $$
      begin
        update report_episode e set unanswered_since = (
          select min(u.occurred_at) from message u
          where u.conversation_id = m.conversation_id and u.direction = 'in'
            and u.source = 'visitor' and u.kind <> 'reaction'
            and coalesce(u.details->>'quickReplyPayload', '') not like 'CSAT:%'
            and u.occurred_at >= e.opened_at - report_reply_window(e.page_id)
            and u.occurred_at > coalesce((select max(r.occurred_at) from message r
              where r.conversation_id = m.conversation_id and r.direction = 'out'
                and r.source in ('operator', 'page_inbox')
                and r.status is distinct from 'failed'), '-infinity'::timestamptz))
        where e.id = (select l.id from report_episode l where l.conversation_id = m.conversation_id
          order by l.opened_at desc, l.id desc limit 1);
      end $$;`);

    this.addSql(`create function report_episode_apply_csat(c conversation) returns void
      language plpgsql as $$
      begin
        update report_episode set csat_requested_at = c.csat_requested_at,
          csat_score = case when c.csat_answered_at >= c.csat_requested_at then c.csat_score end,
          csat_answered_at = case when c.csat_answered_at >= c.csat_requested_at
            then c.csat_answered_at end
        where id = (select l.id from report_episode l where l.conversation_id = c.id
          and l.closed_at <= c.csat_requested_at order by l.opened_at desc, l.id desc limit 1);
      end $$;`);

    this.addSql(`create function report_episode_on_event() returns trigger language plpgsql as $$
      begin perform report_episode_apply_event(new); return null; end $$;`);
    this.addSql(`create function report_episode_on_message() returns trigger language plpgsql as $$
      begin perform report_episode_apply_message(new); return null; end $$;`);
    this.addSql(`create function report_episode_on_failed_reply() returns trigger
      language plpgsql as $$
      begin perform report_episode_reply_failed(new); return null; end $$;`);
    this.addSql(`create function report_episode_on_csat() returns trigger language plpgsql as $$
      begin perform report_episode_apply_csat(new); return null; end $$;`);

    // What was there before: replayed in the order it was written (a reopening's queue
    // entry is written before the visitor's message that caused it, and dated later).
    this.addSql(`do $$
      declare line record;
      begin
        for line in
          select 0 as kind, id, created_at, occurred_at from conversation_event
          union all
          select 1, id, created_at, occurred_at from message
          where (direction = 'in' and source = 'visitor')
             or (direction = 'out' and source in ('operator', 'page_inbox'))
          order by created_at, kind, occurred_at, id
        loop
          if line.kind = 0 then
            perform report_episode_apply_event(e) from conversation_event e where e.id = line.id;
          else
            perform report_episode_apply_message(m) from message m where m.id = line.id;
          end if;
        end loop;
        perform report_episode_apply_csat(c) from conversation c
        where c.csat_requested_at is not null;
      end $$;`);

    this.addSql(`create trigger report_episode_event after insert on conversation_event
      for each row execute function report_episode_on_event();`);
    this.addSql(`create trigger report_episode_message after insert on message for each row
      when ((new.direction = 'in' and new.source = 'visitor')
        or (new.direction = 'out' and new.source in ('operator', 'page_inbox')))
      execute function report_episode_on_message();`);
    this.addSql(`create trigger report_episode_failed_reply after update of status on message
      for each row when (new.status = 'failed' and old.status is distinct from 'failed'
        and new.direction = 'out')
      execute function report_episode_on_failed_reply();`);
    this.addSql(`create trigger report_episode_csat
      after update of csat_requested_at, csat_answered_at on conversation for each row
      when (old.csat_requested_at is distinct from new.csat_requested_at
        or old.csat_answered_at is distinct from new.csat_answered_at)
      execute function report_episode_on_csat();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger report_episode_csat on conversation;`);
    this.addSql(`drop trigger report_episode_failed_reply on message;`);
    this.addSql(`drop trigger report_episode_message on message;`);
    this.addSql(`drop trigger report_episode_event on conversation_event;`);
    this.addSql(
      `drop function report_episode_on_csat(), report_episode_on_failed_reply(), report_episode_on_message(), report_episode_on_event(), report_episode_apply_csat(conversation), report_episode_reply_failed(message), report_episode_apply_message(message), report_episode_apply_event(conversation_event), report_reply_window(uuid);`,
    );
    this.addSql(`drop table if exists "report_episode" cascade;`);
    this.addSql(`alter table "tenant" drop column "timezone";`);
  }
}
