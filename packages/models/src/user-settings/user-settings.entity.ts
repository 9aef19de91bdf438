import { defineEntity } from '../entity/define-entity.ts';
import { UserSettingsSchema } from './user-settings.schema.ts';

/** Per-user settings (the time zone of their local days), one item per user in `user_settings`. */
export const userSettingsEntity = defineEntity({
  name: 'UserSettings',
  table: 'user_settings',
  schema: UserSettingsSchema,
  key: { partition: 'user_id' },
});
