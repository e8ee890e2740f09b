import { useMemo, useState } from 'react';
import {
  Button,
  ComboBox,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Text,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { FieldErrorCode, Locale } from '@medora/schema';
import { fieldErrorMessage } from '../../lib/errors';
import { analyteByCode, analyteCatalogue, matchesSearch } from './catalogue';

interface Item {
  id: string;
  name: string;
}

interface Props {
  id: string;
  label: string;
  locale: Locale;
  code: string;
  onChange: (code: string) => void;
  errors?: readonly FieldErrorCode[] | undefined;
}

/**
 * An accessible combobox over the analyte catalogue: type a name in the interface language (any
 * language works, and the code), pick with the arrow keys and Enter.
 */
export function AnalytePicker({ id, label, locale, code, onChange, errors }: Props) {
  const { t } = useTranslation();
  const selectedName = analyteByCode(code)?.name[locale] ?? '';
  const [input, setInput] = useState(selectedName);
  const [lastCode, setLastCode] = useState(code);
  // The selection changed from outside (pasted rows, a restored draft, a language switch).
  if (lastCode !== code) {
    setLastCode(code);
    setInput(selectedName);
  }
  const items = useMemo(
    () =>
      analyteCatalogue
        .filter((a) => input === selectedName || matchesSearch(a, input, locale))
        .map((a): Item => ({ id: a.code, name: a.name[locale] })),
    [input, selectedName, locale],
  );
  const invalid = !!errors && errors.length > 0;
  return (
    <ComboBox<Item>
      className={invalid ? 'field field--invalid combo' : 'field combo'}
      id={id}
      items={items}
      inputValue={input}
      onInputChange={setInput}
      selectedKey={code || null}
      onSelectionChange={(key) => {
        const next = typeof key === 'string' ? key : '';
        setLastCode(next);
        setInput(analyteByCode(next)?.name[locale] ?? '');
        onChange(next);
      }}
      isInvalid={invalid}
      allowsEmptyCollection
    >
      <Label>{label}</Label>
      {invalid && (
        <Text slot="errorMessage" className="field__error">
          {errors.map((c) => fieldErrorMessage(t, c)).join(' ')}
        </Text>
      )}
      <div className="combo__control">
        <Input className="input" id={`${id}-input`} />
        <Button className="combo__button" aria-label={label}>
          ▾
        </Button>
      </div>
      <Popover className="popover combo__popover">
        <ListBox<Item>
          className="combo__list"
          renderEmptyState={() => <p className="combo__empty">{t('analyses.labs.noMatch')}</p>}
        >
          {(item) => (
            <ListBoxItem className="combo__option" id={item.id} textValue={item.name}>
              {item.name}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
