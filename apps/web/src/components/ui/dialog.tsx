import '../../lib/csp';
import type { ReactElement, ReactNode } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from 'react-aria-components';

interface ConfirmDialogProps {
  /** The button that opens the dialog (a UI-kit `Button`, so focus returns to it on close). */
  trigger: ReactElement;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
}

/**
 * "Are you sure?" before a destructive action: a modal alert dialog that traps focus, starts on
 * Cancel (the safe choice), closes with Escape and gives focus back to its trigger.
 */
export function ConfirmDialog({
  trigger,
  title,
  children,
  confirmLabel,
  cancelLabel,
  onConfirm,
}: ConfirmDialogProps) {
  return (
    <DialogTrigger>
      {trigger}
      <ModalOverlay className="modal-overlay" isDismissable>
        <Modal className="modal">
          <Dialog role="alertdialog" className="dialog">
            {({ close }) => (
              <>
                <Heading slot="title" className="dialog__title">
                  {title}
                </Heading>
                <div className="dialog__body">{children}</div>
                <div className="dialog__actions">
                  <Button className="button" onPress={close} autoFocus>
                    {cancelLabel}
                  </Button>
                  <Button
                    className="button button--danger-solid"
                    onPress={() => {
                      close();
                      onConfirm();
                    }}
                  >
                    {confirmLabel}
                  </Button>
                </div>
              </>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}
