import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121133715_foundation } from './Migration20261121133715_foundation.js';
import { Migration20261121142410_facebook_pages } from './Migration20261121142410_facebook_pages.js';
import { Migration20261121143427_conversations } from './Migration20261121143427_conversations.js';
import { Migration20261121144607_stored_files } from './Migration20261121144607_stored_files.js';
import { Migration20261121144957_webhook_diagnostics } from './Migration20261121144957_webhook_diagnostics.js';
import { Migration20261121160959_routing } from './Migration20261121160959_routing.js';
import { Migration20261121162828_first_response_timeout } from './Migration20261121162828_first_response_timeout.js';
import { Migration20261121170452_outbound_sends } from './Migration20261121170452_outbound_sends.js';
import { Migration20261121171805_queue_notices } from './Migration20261121171805_queue_notices.js';
import { Migration20261121185656_demo } from './Migration20261121185656_demo.js';
import { Migration20261121203113_batched_inbound } from './Migration20261121203113_batched_inbound.js';
import { Migration20261202163849_user_sessions } from './Migration20261202163849_user_sessions.js';
import { Migration20261202164133_stored_file_owners } from './Migration20261202164133_stored_file_owners.js';
import { Migration20261202164523_webhook_retention } from './Migration20261202164523_webhook_retention.js';
import { Migration20261202173043_fair_inbound_claim } from './Migration20261202173043_fair_inbound_claim.js';
import { Migration20261202173045_outbox } from './Migration20261202173045_outbox.js';
import { Migration20261202173451_raw_body_bytes } from './Migration20261202173451_raw_body_bytes.js';
import { Migration20261202182117_pending_out_index } from './Migration20261202182117_pending_out_index.js';
import { Migration20261203070000_outbox_autovacuum } from './Migration20261203070000_outbox_autovacuum.js';
import { Migration20261203075755_canned_responses } from './Migration20261203075755_canned_responses.js';
import { Migration20261203110000_notes } from './Migration20261203110000_notes.js';
import { Migration20261203111000_labels } from './Migration20261203111000_labels.js';
import { Migration20261203112000_search } from './Migration20261203112000_search.js';
import { Migration20261203113000_follow_up_auto_close } from './Migration20261203113000_follow_up_auto_close.js';
import { Migration20261203114000_alert_preferences } from './Migration20261203114000_alert_preferences.js';
import { Migration20261203120000_mail_links } from './Migration20261203120000_mail_links.js';
import { Migration20261203121000_supervisor } from './Migration20261203121000_supervisor.js';
import { Migration20261203122000_business_hours } from './Migration20261203122000_business_hours.js';
import { Migration20261203130000_two_factor } from './Migration20261203130000_two_factor.js';
import { Migration20261203131000_audit_log } from './Migration20261203131000_audit_log.js';
import { Migration20261203132000_page_health } from './Migration20261203132000_page_health.js';
import { Migration20261203134000_api_tokens } from './Migration20261203134000_api_tokens.js';
import { Migration20261203150000_csat } from './Migration20261203150000_csat.js';
import { Migration20261203151000_delivery_inspector } from './Migration20261203151000_delivery_inspector.js';
import { Migration20261203170000_outbound_webhooks } from './Migration20261203170000_outbound_webhooks.js';
import { Migration20261203171000_reports } from './Migration20261203171000_reports.js';
import { Migration20261203172000_data_deletion } from './Migration20261203172000_data_deletion.js';
import { Migration20261203173000_department_menu } from './Migration20261203173000_department_menu.js';
import { Migration20261203174000_handover } from './Migration20261203174000_handover.js';

/** Every migration, in order. `npm run db:migration:create` rewrites this file. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261121133715_foundation', class: Migration20261121133715_foundation },
  { name: 'Migration20261121142410_facebook_pages', class: Migration20261121142410_facebook_pages },
  { name: 'Migration20261121143427_conversations', class: Migration20261121143427_conversations },
  { name: 'Migration20261121144607_stored_files', class: Migration20261121144607_stored_files },
  {
    name: 'Migration20261121144957_webhook_diagnostics',
    class: Migration20261121144957_webhook_diagnostics,
  },
  { name: 'Migration20261121160959_routing', class: Migration20261121160959_routing },
  {
    name: 'Migration20261121162828_first_response_timeout',
    class: Migration20261121162828_first_response_timeout,
  },
  { name: 'Migration20261121170452_outbound_sends', class: Migration20261121170452_outbound_sends },
  { name: 'Migration20261121171805_queue_notices', class: Migration20261121171805_queue_notices },
  { name: 'Migration20261121185656_demo', class: Migration20261121185656_demo },
  {
    name: 'Migration20261121203113_batched_inbound',
    class: Migration20261121203113_batched_inbound,
  },
  { name: 'Migration20261202163849_user_sessions', class: Migration20261202163849_user_sessions },
  {
    name: 'Migration20261202164133_stored_file_owners',
    class: Migration20261202164133_stored_file_owners,
  },
  {
    name: 'Migration20261202164523_webhook_retention',
    class: Migration20261202164523_webhook_retention,
  },
  {
    name: 'Migration20261202173043_fair_inbound_claim',
    class: Migration20261202173043_fair_inbound_claim,
  },
  { name: 'Migration20261202173045_outbox', class: Migration20261202173045_outbox },
  { name: 'Migration20261202173451_raw_body_bytes', class: Migration20261202173451_raw_body_bytes },
  {
    name: 'Migration20261202182117_pending_out_index',
    class: Migration20261202182117_pending_out_index,
  },
  {
    name: 'Migration20261203070000_outbox_autovacuum',
    class: Migration20261203070000_outbox_autovacuum,
  },
  {
    name: 'Migration20261203075755_canned_responses',
    class: Migration20261203075755_canned_responses,
  },
  { name: 'Migration20261203110000_notes', class: Migration20261203110000_notes },
  { name: 'Migration20261203111000_labels', class: Migration20261203111000_labels },
  { name: 'Migration20261203112000_search', class: Migration20261203112000_search },
  {
    name: 'Migration20261203113000_follow_up_auto_close',
    class: Migration20261203113000_follow_up_auto_close,
  },
  {
    name: 'Migration20261203114000_alert_preferences',
    class: Migration20261203114000_alert_preferences,
  },
  { name: 'Migration20261203120000_mail_links', class: Migration20261203120000_mail_links },
  { name: 'Migration20261203121000_supervisor', class: Migration20261203121000_supervisor },
  { name: 'Migration20261203122000_business_hours', class: Migration20261203122000_business_hours },
  { name: 'Migration20261203130000_two_factor', class: Migration20261203130000_two_factor },
  { name: 'Migration20261203131000_audit_log', class: Migration20261203131000_audit_log },
  { name: 'Migration20261203132000_page_health', class: Migration20261203132000_page_health },
  { name: 'Migration20261203134000_api_tokens', class: Migration20261203134000_api_tokens },
  { name: 'Migration20261203150000_csat', class: Migration20261203150000_csat },
  {
    name: 'Migration20261203151000_delivery_inspector',
    class: Migration20261203151000_delivery_inspector,
  },
  {
    name: 'Migration20261203170000_outbound_webhooks',
    class: Migration20261203170000_outbound_webhooks,
  },
  { name: 'Migration20261203171000_reports', class: Migration20261203171000_reports },
  {
    name: 'Migration20261203172000_data_deletion',
    class: Migration20261203172000_data_deletion,
  },
  {
    name: 'Migration20261203173000_department_menu',
    class: Migration20261203173000_department_menu,
  },
  { name: 'Migration20261203174000_handover', class: Migration20261203174000_handover },
];
