import type { Message } from '@kefu/shared'

/** Where message deliveries are counted (the delivery metric): what was owed and what arrived. */
export interface DeliveryLog {
  /** A message was stored for this many recipients besides its author, reached over kefu3d's sockets. */
  owed(message: Message, recipients: number): void
  /** One recipient's device was handed the message. */
  delivered(message: Message): void
}
