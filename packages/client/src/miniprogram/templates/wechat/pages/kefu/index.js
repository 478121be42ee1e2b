const { server } = require('../../kefu.config.js')

Page({
  data: { server, profile: '', signature: '' },
  onLoad(query) {
    this.setData({
      profile: query.profile ? decodeURIComponent(query.profile) : '',
      signature: query.signature ? decodeURIComponent(query.signature) : '',
    })
  },
})
