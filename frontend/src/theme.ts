import type { GlobalThemeOverrides } from 'naive-ui';

/** The same stack as GitHub/Linear: native, fast, and good at Cyrillic and Bengali. */
export const FONT_STACK =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Bengali', 'Helvetica Neue', Arial, sans-serif";

/** Presence colours, shared by the switch, the status dots and the operator table. */
export const PRESENCE_COLORS = {
  online: '#16a34a',
  away: '#d97706',
  offline: '#9ca3af',
} as const;

const primary = {
  base: '#2563eb',
  hover: '#3b74f0',
  pressed: '#1d4ed8',
};

export const themeOverrides: GlobalThemeOverrides = {
  common: {
    fontFamily: FONT_STACK,
    fontSize: '14px',
    fontSizeMedium: '14px',
    fontSizeSmall: '13px',
    fontSizeTiny: '12px',
    heightMedium: '32px',
    heightSmall: '28px',
    heightTiny: '22px',
    borderRadius: '4px',
    borderRadiusSmall: '3px',
    primaryColor: primary.base,
    primaryColorHover: primary.hover,
    primaryColorPressed: primary.pressed,
    primaryColorSuppl: primary.hover,
    infoColor: primary.base,
    infoColorHover: primary.hover,
    infoColorPressed: primary.pressed,
    infoColorSuppl: primary.hover,
    successColor: '#16a34a',
    warningColor: '#d97706',
    errorColor: '#dc2626',
    errorColorHover: '#ef4444',
    errorColorPressed: '#b91c1c',
    textColorBase: '#111827',
    textColor1: '#111827',
    textColor2: '#1f2937',
    textColor3: '#6b7280',
    placeholderColor: '#9ca3af',
    borderColor: '#d7dbe2',
    dividerColor: '#e7e9ee',
    bodyColor: '#f5f6f8',
    hoverColor: '#f1f3f6',
    tableHeaderColor: '#f8f9fb',
  },
  DataTable: {
    thColor: '#f8f9fb',
    thTextColor: '#4b5563',
    thFontWeight: '500',
    tdColorHover: '#f8f9fb',
    borderColor: '#eceef2',
  },
  Card: {
    borderColor: '#e3e6eb',
    titleFontSizeSmall: '15px',
    titleFontSizeMedium: '16px',
  },
  Form: {
    labelFontSizeTopMedium: '13px',
    labelHeightMedium: '22px',
    labelPaddingVertical: '0 0 4px 2px',
    labelTextColor: '#374151',
    feedbackFontSizeMedium: '12px',
    feedbackHeightMedium: '24px',
    // Bottom padding keeps a hint or an error from touching the next field's label.
    feedbackPadding: '4px 0 8px 2px',
  },
  Tag: {
    borderRadius: '3px',
  },
  Tabs: {
    tabFontSizeMedium: '13px',
  },
};
