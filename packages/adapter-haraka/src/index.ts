// haraka-plugin-mailward: Haraka loads this module and copies its exports onto its Plugin object.
export {
  register,
  hook_connect,
  hook_helo,
  hook_ehlo,
  hook_mail,
  hook_rcpt,
  mailward_data_post,
  mailward_queue,
  mailward_queue_ok,
  mailward_capabilities,
  mailward_command,
} from './hooks';
