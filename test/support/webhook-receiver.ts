/** The real local receivers live with the client (the demo and the bench use them too). */
export {
  eventually,
  type ReceivedRequest,
  type Script,
  verified,
  WebhookReceivers,
} from "../../lib/client/webhook-receiver";
