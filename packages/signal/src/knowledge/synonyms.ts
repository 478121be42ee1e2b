/**
 * Words customers use for the same thing, and the common slips of typing them (登陆 for 登录,
 * 优惠卷 for 优惠券): each group is folded into one term at indexing and at query time. Written for
 * an online shop; an integrator's own words go here too.
 */
export const SHOP_SYNONYMS: readonly (readonly string[])[] = [
  ['退款', '退钱', '退费', '钱退', 'refund', 'money back'],
  ['快递', '包裹', '快件', 'parcel', 'package'],
  ['物流', '配送', 'tracking'],
  ['发票', '开票', '票据', 'invoice', 'receipt'],
  ['优惠券', '优惠卷', '券', 'coupon', 'voucher'],
  ['地址', 'address', 'adress'],
  ['登录', '登陆', '登入', 'log in', 'login', 'sign in'],
  ['密码', 'password', 'pasword'],
  ['账号', '账户', '帐号', 'account'],
  ['取消', '撤销', '撤单', 'cancel'],
  ['尺码', '码数', '尺寸', '大码', 'size'],
  ['运费', '邮费', 'shipping cost', 'postage'],
  ['坏', '破损', '碎', '损坏', 'broken', 'damaged', 'smashed'],
  ['退货', '退回去', 'return'],
  ['换货', '调换', 'exchange'],
  ['发货', '出库', 'ship'],
  ['客服', '人工', 'agent', 'person'],
  ['手机号', '手机号码', '电话号码'],
  ['注销', '删除账号', 'delete account'],
  ['积分', 'points'],
  ['支付', '付款', '付钱', '付不了', 'pay', 'payment'],
  ['维修', '报修', '修理', 'repair'],
  ['会员', 'vip', 'member'],
  ['购物卡', '礼品卡', 'gift card'],
]
