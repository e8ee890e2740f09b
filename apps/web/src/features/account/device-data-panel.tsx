import { useTranslation } from 'react-i18next';
import { toasts } from '../../components/ui/toast';
import { setOwnDevice, useOwnDevice } from '../../lib/device-trust';
import { OwnDeviceField } from '../auth/own-device-field';

/**
 * The sign-in page's "keep data on this device", changeable later. Turning it off removes the
 * saved patient data from this browser at once (what is open stays in memory for this session).
 */
export function DeviceDataPanel() {
  const { t } = useTranslation();
  const ownDevice = useOwnDevice();
  const onChange = (checked: boolean) => {
    setOwnDevice(checked);
    toasts.success(checked ? t('deviceData.kept') : t('deviceData.removed'));
  };
  return (
    <section className="panel" aria-labelledby="device-data-title">
      <h2 id="device-data-title">{t('deviceData.title')}</h2>
      <OwnDeviceField
        checked={ownDevice}
        onChange={onChange}
        label={t('deviceData.label')}
        hint={t('deviceData.hint')}
      />
    </section>
  );
}
